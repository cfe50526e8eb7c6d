package postgres

// ListPostsQueries are the post list's statements with their arguments'
// meaning ($1 account, $2 limit, $3 before or the cursor's posted_at, $4
// the cursor's id), for the plan test.
var ListPostsQueries = map[string]string{
	"first page": listPostsQuery,
	"before":     listPostsBeforeQuery,
	"after":      listPostsAfterQuery,
}

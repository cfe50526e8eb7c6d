package postgres

// ListPostsQueries are the post list's statements with their arguments'
// meaning ($1 account, $2 limit, $3 before), for the plan test.
var ListPostsQueries = map[string]string{
	"first page": listPostsQuery,
	"before":     listPostsBeforeQuery,
}

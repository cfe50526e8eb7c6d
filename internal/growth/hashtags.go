package growth

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ExtractHashtags returns the hashtags of an Instagram caption, lower-cased
// and with their '#', each once, in the order they first appear.
//
// The rule: a tag is a '#' followed by one or more letters, digits or
// underscores (any script; combining marks are kept after the first
// character, so tags in Devanagari or Thai stay whole). It ends at the first
// other character. A '#' only starts a tag at the start of the caption,
// after a character that is not a letter, digit or underscore, or right
// after another tag: "abc#def" holds no tag, "#a#b" holds "#a" and "#b",
// "##x" holds "#x" and a lone "#" or "#!" nothing. Letters are lower-cased
// rune by rune (unicode.ToLower), so "#Travel" and "#TRAVEL" are one tag.
func ExtractHashtags(caption string) []string {
	var (
		tags []string
		seen map[string]bool
		// afterWord is true when the previous rune belongs to a word that
		// is not a tag: a '#' there does not start one.
		afterWord bool
	)
	for i := 0; i < len(caption); {
		r, size := utf8.DecodeRuneInString(caption[i:])
		if r != '#' || afterWord {
			afterWord = isTagRune(r, true)
			i += size
			continue
		}
		start, j := i, i+size
		for j < len(caption) {
			r2, s2 := utf8.DecodeRuneInString(caption[j:])
			if !isTagRune(r2, j > start+size) {
				break
			}
			j += s2
		}
		if j > start+size {
			tag := strings.ToLower(caption[start:j])
			if !seen[tag] {
				if seen == nil {
					seen = map[string]bool{}
				}
				seen[tag] = true
				tags = append(tags, tag)
			}
		}
		// The rune after a tag (or after a lone '#') is not a tag rune, so
		// a '#' there may start the next tag.
		afterWord = false
		i = j
	}
	return tags
}

// isTagRune reports whether r may be part of a hashtag; combining marks
// only after the first character.
func isTagRune(r rune, notFirst bool) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || (notFirst && unicode.IsMark(r))
}

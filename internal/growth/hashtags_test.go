package growth

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExtractHashtags(t *testing.T) {
	tests := []struct {
		name    string
		caption string
		want    []string
	}{
		{"Empty", "", nil},
		{"NoTags", "sunset at the beach", nil},
		{"One", "#travel", []string{"#travel"}},
		{"LowerCased", "Off to #Paris #TRAVEL", []string{"#paris", "#travel"}},
		{"FirstSeenOrder", "#b #a #c", []string{"#b", "#a", "#c"}},
		{"DedupCaseInsensitive", "#Travel #travel #TRAVEL #food", []string{"#travel", "#food"}},
		{"Digits", "#2024 #day1", []string{"#2024", "#day1"}},
		{"Underscore", "#one_two #_x", []string{"#one_two", "#_x"}},
		{"EndsAtPunctuation", "Love it #summer! #fun, #beach.", []string{"#summer", "#fun", "#beach"}},
		{"Hyphen", "#self-care", []string{"#self"}},
		{"InsideWord", "abc#def mail@x#y", nil},
		{"AfterDigit", "9#nine", nil},
		{"AfterUnderscore", "_#x", nil},
		{"Adjacent", "#a#b#c", []string{"#a", "#b", "#c"}},
		{"DoubleHash", "##x", []string{"#x"}},
		{"LoneHash", "# #! #", nil},
		{"AfterPunctuation", "(#one)[#two]\"#three\"", []string{"#one", "#two", "#three"}},
		{"Newlines", "line\n#one\n\n#two\t#three", []string{"#one", "#two", "#three"}},
		{"Unicode", "#Café #ÜBER #東京 #Москва", []string{"#café", "#über", "#東京", "#москва"}},
		{"CombiningMarks", "#नमस्ते #e\u0301", []string{"#नमस्ते", "#e\u0301"}},
		{"MarkFirst", "#\u0301x", nil},
		{"Emoji", "#🔥 #fire🔥 #🔥fire", []string{"#fire"}},
		{"FullWidthHash", "＃notatag", nil},
		{"InvalidUTF8", "#ok\xff#next \xff#x", []string{"#ok", "#next", "#x"}},
		{"URLFragment", "see https://x.co/page#section", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := ExtractHashtags(tt.caption), tt.want; !slices.Equal(got, want) {
				t.Errorf("ExtractHashtags(%q) = %q, want %q", tt.caption, got, want)
			}
		})
	}
}

func FuzzExtractHashtags(f *testing.F) {
	for _, s := range []string{
		"", "#a", "#Travel #travel", "abc#def", "#a#b", "##x", "#", "#!",
		"#Café #東京 #नमस्ते", "#İstanbul #ǅ #ẞ", "\xff#x\xfe", "#e\u0301 #\u0301x",
		"Σ#ΣΑΣ #ΌΣΟΣ", "x #1_2_3 y#z (#w)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, caption string) {
		tags := ExtractHashtags(caption)
		lower := strings.ToLower(caption)
		seen := map[string]bool{}
		for _, tag := range tags {
			if len(tag) < 2 || tag[0] != '#' {
				t.Fatalf("tag %q of %q: want '#' and at least one character", tag, caption)
			}
			if !utf8.ValidString(tag) {
				t.Fatalf("tag %q of %q: not valid UTF-8", tag, caption)
			}
			if strings.ToLower(tag) != tag {
				t.Fatalf("tag %q of %q: not lower-case", tag, caption)
			}
			if strings.ContainsAny(tag[1:], "# \t\n") {
				t.Fatalf("tag %q of %q: holds a separator", tag, caption)
			}
			if !strings.Contains(lower, tag) {
				t.Fatalf("tag %q does not appear in the lower-cased caption %q", tag, lower)
			}
			if seen[tag] {
				t.Fatalf("tag %q of %q: duplicated in %q", tag, caption, tags)
			}
			seen[tag] = true
		}
		// Extraction is stable under lower-casing of the caption.
		if got := ExtractHashtags(lower); !slices.Equal(got, tags) && utf8.ValidString(caption) {
			t.Fatalf("ExtractHashtags(lower(%q)) = %q, want %q", caption, got, tags)
		}
	})
}

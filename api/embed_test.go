package api_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"creatorgrowth/api"
)

// TestDocument_Validate checks that the document is a valid OpenAPI 3.1
// document, examples included.
func TestDocument_Validate(t *testing.T) {
	doc, err := api.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got, want := doc.OpenAPI, "3.1.0"; got != want {
		t.Errorf("openapi = %q, want %q", got, want)
	}
}

// TestJSON checks that the served JSON is the same document: it loads
// and validates again, with every path and schema.
func TestJSON(t *testing.T) {
	b, err := api.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Fatal("JSON() is not valid JSON")
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("reloaded document: %v", err)
	}
	orig, err := api.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := doc.Paths.Len(), orig.Paths.Len(); got != want {
		t.Errorf("paths = %d, want %d", got, want)
	}
	if got, want := len(doc.Components.Schemas), len(orig.Components.Schemas); got != want {
		t.Errorf("schemas = %d, want %d", got, want)
	}
}

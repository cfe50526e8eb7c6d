// Package api holds the OpenAPI document of the HTTP interface,
// openapi.yaml, embedded in the binary.
package api

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// YAML is the OpenAPI 3.1 document as written.
//
//go:embed openapi.yaml
var YAML []byte

// Load parses the document and resolves its references.
func Load() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(YAML)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
}

// JSON returns the document converted to JSON, for serving.
func JSON() ([]byte, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml to JSON: %w", err)
	}
	return b, nil
}

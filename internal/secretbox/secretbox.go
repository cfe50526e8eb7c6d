// Package secretbox encrypts short secrets, such as Instagram access tokens,
// for storage with AES-256-GCM.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// prefix marks the format, so that a key or algorithm change can be told apart.
const prefix = "v1:"

// ErrDecrypt is returned for ciphertext that does not open with the key.
var ErrDecrypt = errors.New("secretbox: cannot decrypt")

// Box seals and opens secrets with one key.
type Box struct{ aead cipher.AEAD }

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("secretbox: key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext with a fresh random nonce; aad binds the
// ciphertext to its context (for example the row it belongs to).
func (b *Box) Seal(plaintext, aad string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secretbox: nonce: %w", err)
	}
	sealed := b.aead.Seal(nonce, nonce, []byte(plaintext), []byte(aad))
	return prefix + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open decrypts what Seal returned for the same aad.
func (b *Box) Open(ciphertext, aad string) (string, error) {
	raw, ok := strings.CutPrefix(ciphertext, prefix)
	if !ok {
		return "", ErrDecrypt
	}
	sealed, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(sealed) < b.aead.NonceSize() {
		return "", ErrDecrypt
	}
	nonce, body := sealed[:b.aead.NonceSize()], sealed[b.aead.NonceSize():]
	plain, err := b.aead.Open(nil, nonce, body, []byte(aad))
	if err != nil {
		return "", ErrDecrypt
	}
	return string(plain), nil
}

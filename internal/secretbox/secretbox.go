// Package secretbox encrypts short secrets, such as Instagram access tokens,
// for storage with AES-256-GCM. A Box may hold several keys so that a key
// can be rotated: the first encrypts, every one decrypts, and each
// ciphertext names the key that sealed it.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Formats. v2 is "v2:<key id>:<base64 nonce+ciphertext>", the key id being
// the first 4 bytes of the key's SHA-256 in hex; v1, from before key ids,
// is "v1:<base64>" and is tried with every key.
const (
	prefixV1 = "v1:"
	prefixV2 = "v2:"
)

// ErrDecrypt is returned for ciphertext that does not open with any key.
var ErrDecrypt = errors.New("secretbox: cannot decrypt")

type key struct {
	id   string
	aead cipher.AEAD
}

// Box seals secrets with its first key and opens them with any of its keys.
type Box struct{ keys []key }

// New returns a Box for a 32-byte key.
func New(k []byte) (*Box, error) { return NewKeys(k) }

// NewKeys returns a Box for one or more 32-byte keys; the first encrypts.
func NewKeys(keys ...[]byte) (*Box, error) {
	if len(keys) == 0 {
		return nil, errors.New("secretbox: no key")
	}
	b := &Box{}
	for i, k := range keys {
		if len(k) != 32 {
			return nil, fmt.Errorf("secretbox: key %d must be 32 bytes, got %d", i+1, len(k))
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("secretbox: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secretbox: %w", err)
		}
		b.keys = append(b.keys, key{id: KeyID(k), aead: aead})
	}
	return b, nil
}

// KeyID is the id a ciphertext carries for the key that sealed it: the
// first 4 bytes of the key's SHA-256, in hex. It reveals nothing usable
// about the key.
func KeyID(k []byte) string {
	sum := sha256.Sum256(k)
	return hex.EncodeToString(sum[:4])
}

// Seal encrypts plaintext with the first key and a fresh random nonce; aad
// binds the ciphertext to its context (for example the row it belongs to).
func (b *Box) Seal(plaintext, aad string) (string, error) {
	k := b.keys[0]
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secretbox: nonce: %w", err)
	}
	sealed := k.aead.Seal(nonce, nonce, []byte(plaintext), []byte(aad))
	return prefixV2 + k.id + ":" + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open decrypts what Seal returned for the same aad, with whichever key
// sealed it.
func (b *Box) Open(ciphertext, aad string) (string, error) {
	if rest, ok := strings.CutPrefix(ciphertext, prefixV2); ok {
		id, raw, ok := strings.Cut(rest, ":")
		if !ok {
			return "", ErrDecrypt
		}
		for _, k := range b.keys {
			if k.id == id {
				return open(k, raw, aad)
			}
		}
		return "", ErrDecrypt
	}
	if raw, ok := strings.CutPrefix(ciphertext, prefixV1); ok {
		for _, k := range b.keys {
			if plain, err := open(k, raw, aad); err == nil {
				return plain, nil
			}
		}
	}
	return "", ErrDecrypt
}

// Current reports whether ciphertext is sealed with the encrypting key, so
// that re-encryption can skip it.
func (b *Box) Current(ciphertext string) bool {
	return strings.HasPrefix(ciphertext, prefixV2+b.keys[0].id+":")
}

func open(k key, raw, aad string) (string, error) {
	sealed, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(sealed) < k.aead.NonceSize() {
		return "", ErrDecrypt
	}
	nonce, body := sealed[:k.aead.NonceSize()], sealed[k.aead.NonceSize():]
	plain, err := k.aead.Open(nil, nonce, body, []byte(aad))
	if err != nil {
		return "", ErrDecrypt
	}
	return string(plain), nil
}

package secretbox

import (
	"bytes"
	"strings"
	"testing"
)

func TestBox_SealOpen(t *testing.T) {
	box, err := New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	const secret = "IGQVJ-long-lived-token"

	t.Run("OK", func(t *testing.T) {
		c, err := box.Seal(secret, "ig:1")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(c, secret) {
			t.Fatalf("ciphertext %q contains the plaintext", c)
		}
		got, err := box.Open(c, "ig:1")
		if err != nil {
			t.Fatal(err)
		}
		if got != secret {
			t.Fatalf("got %q, want %q", got, secret)
		}
	})
	t.Run("FreshNonce", func(t *testing.T) {
		a, _ := box.Seal(secret, "")
		b, _ := box.Seal(secret, "")
		if a == b {
			t.Fatal("two seals of one secret are equal")
		}
	})
	t.Run("ErrWrongAAD", func(t *testing.T) {
		c, _ := box.Seal(secret, "ig:1")
		if _, err := box.Open(c, "ig:2"); err != ErrDecrypt {
			t.Fatalf("got %v, want ErrDecrypt", err)
		}
	})
	t.Run("ErrWrongKey", func(t *testing.T) {
		c, _ := box.Seal(secret, "")
		other, _ := New(bytes.Repeat([]byte{8}, 32))
		if _, err := other.Open(c, ""); err != ErrDecrypt {
			t.Fatalf("got %v, want ErrDecrypt", err)
		}
	})
	t.Run("ErrGarbage", func(t *testing.T) {
		for _, c := range []string{"", "v1:", "v1:!!!", "plain-token", "v1:AAAA"} {
			if _, err := box.Open(c, ""); err != ErrDecrypt {
				t.Errorf("Open(%q): got %v, want ErrDecrypt", c, err)
			}
		}
	})
	t.Run("ErrKeySize", func(t *testing.T) {
		if _, err := New(make([]byte, 16)); err == nil {
			t.Fatal("a 16-byte key was accepted")
		}
	})
}

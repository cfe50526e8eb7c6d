package secretbox

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
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

// sealV1 seals as the format without key ids did.
func sealV1(t *testing.T, k []byte, plaintext, aad string) string {
	t.Helper()
	block, err := aes.NewCipher(k)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	nonce := bytes.Repeat([]byte{1}, aead.NonceSize())
	return "v1:" + base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(plaintext), []byte(aad)))
}

func TestBox_Rotation(t *testing.T) {
	oldKey, newKey := bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{9}, 32)
	before, err := New(oldKey)
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := NewKeys(newKey, oldKey)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "IGQVJ-long-lived-token"

	t.Run("OldCiphertextOpens", func(t *testing.T) {
		c, _ := before.Seal(secret, "ig:1")
		if got, err := rotated.Open(c, "ig:1"); err != nil || got != secret {
			t.Errorf("Open = %q, %v; want the secret", got, err)
		}
		if rotated.Current(c) || !before.Current(c) {
			t.Errorf("Current: rotated %v, before %v; want false, true", rotated.Current(c), before.Current(c))
		}
	})
	t.Run("NewCiphertextNamesTheNewKey", func(t *testing.T) {
		c, _ := rotated.Seal(secret, "ig:1")
		if want := "v2:" + KeyID(newKey) + ":"; !strings.HasPrefix(c, want) {
			t.Errorf("ciphertext %q, want prefix %q", c, want)
		}
		if !rotated.Current(c) {
			t.Error("Current = false for the encrypting key")
		}
		if _, err := before.Open(c, "ig:1"); err != ErrDecrypt {
			t.Errorf("the old box opened a ciphertext of the new key: %v", err)
		}
	})
	t.Run("V1WithAnyKey", func(t *testing.T) {
		for _, k := range [][]byte{oldKey, newKey} {
			c := sealV1(t, k, secret, "ig:1")
			if got, err := rotated.Open(c, "ig:1"); err != nil || got != secret {
				t.Errorf("Open(v1) = %q, %v; want the secret", got, err)
			}
			if rotated.Current(c) {
				t.Error("a v1 ciphertext counts as current")
			}
			if _, err := rotated.Open(c, "ig:2"); err != ErrDecrypt {
				t.Errorf("v1 with the wrong aad: %v, want ErrDecrypt", err)
			}
		}
	})
	t.Run("ErrUnknownKeyID", func(t *testing.T) {
		c, _ := rotated.Seal(secret, "")
		forged := "v2:00000000:" + strings.SplitN(c, ":", 3)[2]
		if _, err := rotated.Open(forged, ""); err != ErrDecrypt {
			t.Errorf("got %v, want ErrDecrypt", err)
		}
		for _, c := range []string{"v2:", "v2:" + KeyID(newKey), "v2:" + KeyID(newKey) + ":!!"} {
			if _, err := rotated.Open(c, ""); err != ErrDecrypt {
				t.Errorf("Open(%q): got %v, want ErrDecrypt", c, err)
			}
		}
	})
	t.Run("ErrKeys", func(t *testing.T) {
		if _, err := NewKeys(); err == nil {
			t.Error("no key was accepted")
		}
		if _, err := NewKeys(newKey, make([]byte, 31)); err == nil {
			t.Error("a 31-byte second key was accepted")
		}
	})
}

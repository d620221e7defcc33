// Package detector holds the process-wide secret detector: building it
// compiles hundreds of expressions, so rules and analysers share one.
package detector

import (
	"sync"

	"github.com/faasguard/faasguard/secrets"
)

var (
	once sync.Once
	det  *secrets.Detector
	err  error
)

// Secrets returns the shared detector, built on first use.
func Secrets() (*secrets.Detector, error) {
	once.Do(func() { det, err = secrets.New(secrets.Options{}) })
	return det, err
}

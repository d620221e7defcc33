// Package peer measures faasguard against the labelled fixtures of peer
// tools (KICS, Checkov) in ../shared/corpus. Its test runs every mapped
// peer query or check through the real scan pipeline and compares what
// faasguard reports with the peer's labels; mapping.yaml says which of our
// rules answers which peer check, and why a peer label is not followed
// where it contradicts faasguard's rules. The figures are gated by a
// ratchet (testdata/ratchet.json) so agreement never silently drops.
package peer

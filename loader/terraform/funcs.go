package terraform

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// The functions below can build a result far larger than their arguments
// (join of a list repeating one large string, replace with a long
// replacement, indent by a huge count, a format width of 10^9). Each is
// wrapped to estimate its result first and refuse one over maxValueBytes,
// so a hostile configuration cannot exhaust memory in a single call.

// guarded wraps f: estimate returns the result size the arguments can
// produce, or -1 when it cannot tell cheaply.
func guarded(f function.Function, estimate func(args []cty.Value) int) function.Function {
	spec := &function.Spec{
		Params:   f.Params(),
		VarParam: f.VarParam(),
		Type: func(args []cty.Value) (cty.Type, error) {
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if n := estimate(args); n > maxValueBytes {
				return cty.NilVal, fmt.Errorf("result of about %d bytes is over the %d-byte bound", n, maxValueBytes)
			}
			return f.Call(args)
		},
	}
	return function.New(spec)
}

func strLen(v cty.Value) int {
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return 0
	}
	return len(v.AsString())
}

// listStrLen sums the lengths of the strings of a list or tuple.
func listStrLen(v cty.Value) (total, n int) {
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return 0, 0
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		total += strLen(e)
		n++
	}
	return total, n
}

func intArg(v cty.Value) int {
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
		return 0
	}
	f, _ := v.AsBigFloat().Float64()
	if f > 1e12 {
		return 1e12
	}
	return int(f)
}

var bigWidth = regexp.MustCompile(`%[-+# 0]*(\d{5,}|\d*\.\d{5,})`)

var (
	guardedJoin = guarded(stdlib.JoinFunc, func(args []cty.Value) int {
		sep := strLen(args[0])
		total := 0
		for _, l := range args[1:] {
			t, n := listStrLen(l)
			total += t + n*sep
		}
		return total
	})
	guardedReplace = guarded(stdlib.ReplaceFunc, func(args []cty.Value) int {
		s, sub, repl := args[0], args[1], args[2]
		if strLen(sub) == 0 || !s.IsKnown() || !sub.IsKnown() {
			return strLen(s) * (1 + strLen(repl))
		}
		return strLen(s) + strings.Count(s.AsString(), sub.AsString())*strLen(repl)
	})
	guardedRegexReplace = guarded(stdlib.RegexReplaceFunc, func(args []cty.Value) int {
		return strLen(args[0]) * (1 + strLen(args[2]))
	})
	guardedIndent = guarded(stdlib.IndentFunc, func(args []cty.Value) int {
		s := args[1]
		lines := 1
		if s.IsKnown() && !s.IsNull() {
			lines += strings.Count(s.AsString(), "\n")
		}
		return strLen(s) + lines*intArg(args[0])
	})
	formatEstimate = func(args []cty.Value) int {
		if f := args[0]; f.IsKnown() && !f.IsNull() && bigWidth.MatchString(f.AsString()) {
			return maxValueBytes + 1
		}
		total := strLen(args[0])
		for _, a := range args[1:] {
			t, _ := listStrLen(a)
			total += strLen(a) + t
		}
		return total
	}
	guardedFormat     = guarded(stdlib.FormatFunc, formatEstimate)
	guardedFormatList = guarded(stdlib.FormatListFunc, formatEstimate)
)

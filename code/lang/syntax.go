package lang

import "strings"

// Unquote strips the quotes of a string literal as written in JavaScript,
// TypeScript, Python or Go source, including Python's r/b/u/f prefixes and
// triple quotes. Text that is not a quoted literal is returned unchanged.
func Unquote(s string) string {
	i := 0
	for i < len(s) && i < 3 && strings.IndexByte("rRbBuUfF", s[i]) >= 0 {
		i++
	}
	if i < len(s) && strings.IndexByte("\"'`", s[i]) >= 0 {
		s = s[i:]
	}
	for _, q := range []string{`"""`, `'''`, `"`, `'`, "`"} {
		if len(s) >= 2*len(q) && strings.HasPrefix(s, q) && strings.HasSuffix(s, q) {
			return s[len(q) : len(s)-len(q)]
		}
	}
	return s
}

// JSModule is the module name of a JavaScript import source, with quotes
// and the "node:" scheme removed ("node:child_process" → child_process).
func JSModule(s string) string { return strings.TrimPrefix(Unquote(s), "node:") }

// ChildOfKind returns the first direct child of n of the given kind.
func ChildOfKind(n *Node, kind string) *Node {
	for _, c := range n.Children {
		if c.Kind == kind {
			return c
		}
	}
	return nil
}

// JSImports records in alias the local names a JavaScript or TypeScript
// import statement binds, mapped to what they stand for: "m" for
// `import x from 'm'`, `import * as x from 'm'` and `import x = require('m')`,
// "m.name" for `import { name as x } from 'm'`.
func (f *File) JSImports(n *Node, alias map[string]string) {
	mod := JSModule(f.Text(n.ChildByField("source")))
	Walk(n, func(c *Node) bool {
		switch c.Kind {
		case "namespace_import":
			if id := ChildOfKind(c, "identifier"); id != nil {
				alias[f.Text(id)] = mod
			}
			return false
		case "import_specifier":
			name, as := c.ChildByField("name"), c.ChildByField("alias")
			if as == nil {
				as = name
			}
			alias[f.Text(as)] = mod + "." + Unquote(f.Text(name))
			return false
		case "import_clause", "import_require_clause":
			if id := ChildOfKind(c, "identifier"); id != nil { // default import
				alias[f.Text(id)] = mod
			}
		}
		return true
	})
	if n.ChildByField("source") == nil {
		if irc := ChildOfKind(n, "import_require_clause"); irc != nil {
			if id, s := ChildOfKind(irc, "identifier"), irc.ChildByField("source"); id != nil && s != nil {
				alias[f.Text(id)] = JSModule(f.Text(s))
			}
		}
	}
}

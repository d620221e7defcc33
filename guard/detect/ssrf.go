package detect

import (
	"net/netip"
	"strings"
)

// dangerousSchemes make a server-side fetcher read local files or speak
// raw protocols to internal services.
var dangerousSchemes = words(`file gopher dict ldap ldaps ldapi tftp sftp netdoc jar local_file phar expect
	ogg glob zip compress.zlib data`)

// metadataPaths are request paths of cloud metadata and local runtime
// services, dangerous whatever host spelling precedes them.
var metadataPaths = []string{"/latest/meta-data", "/latest/user-data", "/latest/api/token", "/latest/dynamic/instance-identity",
	"/computemetadata/", "/metadata/v1", "/metadata/instance", "/2018-06-01/runtime/", "/opc/v1/", "/opc/v2/", "/v2/credentials",
	"/hetzner/v1/metadata", "/metadata/identity/oauth2"}

// ssrf flags URLs (and bare host names) that point at loopback, private,
// link-local or cloud-metadata addresses in any IP spelling, internal
// service names, and schemes that fetch local files or speak raw protocols.
func ssrf(in *Input) string {
	if in.Key {
		return ""
	}
	if r := ssrfIn(in.Lower); r != "" {
		return r
	}
	// backslashes some URL parsers drop: http://\\l\\o\\c\\a\\l\\h\\o\\s\\t/
	if strings.Contains(in.Raw, `\`) {
		return ssrfIn(strings.ReplaceAll(strings.ToLower(in.Raw), `\`, ""))
	}
	return ""
}

func ssrfIn(l string) string {
	if strings.Contains(l, ":") || strings.Contains(l, "/") {
		for _, p := range metadataPaths {
			if strings.Contains(l, p) {
				return "ssrf.metadata_path"
			}
		}
	}
	for i := 0; i < len(l); {
		j := strings.IndexByte(l[i:], ':')
		if j < 0 {
			break
		}
		j += i
		scheme := schemeBefore(l, j)
		i = j + 1
		if scheme == "" {
			continue
		}
		rest := l[j+1:]
		slashes := strings.HasPrefix(rest, "//")
		if dangerousSchemes[scheme] && (slashes || scheme == "jar" || scheme == "data" && strings.Contains(rest, "base64")) {
			if scheme != "data" {
				return "ssrf.scheme"
			}
		}
		if !slashes {
			// http:127.0.0.1 and http:/2852039166, which lenient parsers accept
			if scheme != "http" && scheme != "https" {
				continue
			}
			rest = strings.TrimPrefix(rest, "/")
		} else {
			rest = rest[2:]
		}
		if internalAuthority(rest) {
			return "ssrf.internal_host"
		}
	}
	t := strings.TrimSpace(l)
	if strings.HasPrefix(t, "//") && internalAuthority(t[2:]) {
		return "ssrf.internal_host"
	}
	if looksHost(t) && internalAuthority(t) {
		return "ssrf.internal_host"
	}
	return ""
}

// schemeBefore returns the URL scheme ending at l[colon], or "".
func schemeBefore(l string, colon int) string {
	k := colon
	for k > 0 {
		c := l[k-1]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-' || c == '_' {
			k--
			continue
		}
		break
	}
	if k == colon || l[k] < 'a' || l[k] > 'z' {
		return ""
	}
	return l[k:colon]
}

// looksHost reports whether s is a single token shaped like host[:port][/path]
// whose host is a name or address (no spaces, at least a dot, colon or
// slash, or a bare internal name).
func looksHost(s string) bool {
	if s == "" || len(s) > 255 || strings.ContainsAny(s, " \t\n\"'<>{}") {
		return false
	}
	h := s
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	return h != "" && internalName(stripPort(h))
}

// internalAuthority checks every host a lenient or confused URL parser
// might pick from the authority part of rest.
func internalAuthority(rest string) bool {
	end := len(rest)
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c == '/' || c == '?' {
			end = i
			break
		}
	}
	auth := rest[:end]
	if auth == "" {
		return false
	}
	if internalHost(strings.ReplaceAll(lastAt(auth), `\`, "")) {
		return true
	}
	for _, f := range strings.FieldsFunc(auth, func(r rune) bool {
		return r == '@' || r == '#' || r == '\\' || r == ' ' || r == '&' || r == '\t'
	}) {
		if internalHost(f) {
			return true
		}
	}
	return false
}

func lastAt(s string) string {
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func stripPort(h string) string {
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i > 0 {
			return h[1:i]
		}
		return h[1:]
	}
	if strings.Count(h, ":") == 1 {
		return h[:strings.IndexByte(h, ':')]
	}
	return h
}

// internalHost reports whether hostport names an internal destination.
func internalHost(hostport string) bool {
	h := strings.TrimSuffix(stripPort(hostport), ".")
	if h == "" {
		return false
	}
	if internalName(h) {
		return true
	}
	if a, ok := lenientIPv4(h); ok {
		return internalV4(a)
	}
	if strings.Contains(h, ":") {
		if a, err := netip.ParseAddr(h); err == nil {
			return internalAddr(a)
		}
	}
	// wildcard DNS services that resolve an embedded address: 169.254.169.254.nip.io
	for _, sfx := range []string{".nip.io", ".xip.io", ".sslip.io", ".traefik.me", ".localtest.me"} {
		if strings.HasSuffix(h, sfx) {
			if sfx == ".localtest.me" {
				return true
			}
			labels := strings.Split(strings.TrimSuffix(h, sfx), ".")
			if len(labels) >= 4 {
				if a, ok := lenientIPv4(strings.Join(labels[len(labels)-4:], ".")); ok && internalV4(a) {
					return true
				}
			}
			if a, ok := lenientIPv4(strings.ReplaceAll(labels[len(labels)-1], "-", ".")); ok && internalV4(a) {
				return true
			}
		}
	}
	return false
}

// internalName reports service names that resolve to internal addresses.
func internalName(h string) bool {
	switch h {
	case "localhost", "localhost4", "localhost6", "ip6-localhost", "ip6-loopback", "metadata", "instance-data",
		"rancher-metadata", "kubernetes", "kubernetes.default", "metadata.google.internal", "metadata.azure.internal":
		return true
	}
	switch h {
	case "host.docker.internal", "gateway.docker.internal", "kubernetes.docker.internal", "host.containers.internal":
		return true
	}
	return strings.HasSuffix(h, ".localhost") || strings.HasPrefix(h, "localhost.") || strings.HasPrefix(h, "localhost4.") ||
		strings.HasPrefix(h, "localhost6.") || strings.HasSuffix(h, ".cluster.local") ||
		strings.HasSuffix(h, ".svc") || strings.HasPrefix(h, "kubernetes.default.") || strings.HasSuffix(h, ".localdomain")
}

// lenientIPv4 parses h the way inet_aton and many URL libraries do: one to
// four dot-separated parts, each decimal, octal (leading 0 or 0o) or hex
// (0x), the last part filling the remaining bytes; oversized parts are
// truncated as C parsers do.
func lenientIPv4(h string) (uint32, bool) {
	parts := strings.Split(h, ".")
	if len(parts) > 4 || len(parts) == 0 {
		return 0, false
	}
	var vals [4]uint64
	for i, p := range parts {
		if p == "" {
			return 0, false
		}
		base := 10
		switch {
		case strings.HasPrefix(p, "0x"):
			base, p = 16, p[2:]
		case strings.HasPrefix(p, "0o"):
			base, p = 8, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, p = 8, p[1:]
		}
		if p == "" {
			if base == 16 {
				return 0, false
			}
			p = "0"
		}
		if len(p) > 24 {
			return 0, false
		}
		var v uint64
		for _, c := range []byte(p) {
			d, ok := digitVal(c)
			if !ok || d >= base {
				return 0, false
			}
			v = v*uint64(base) + uint64(d)
		}
		vals[i] = v
	}
	n := len(parts)
	var a uint32
	for i := 0; i < n-1; i++ {
		a |= uint32(vals[i]&0xff) << (24 - 8*i)
	}
	last := vals[n-1]
	width := 32 - 8*(n-1)
	if width < 32 {
		last &= 1<<width - 1
	}
	a |= uint32(last)
	return a, true
}

func digitVal(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10, true
	}
	return 0, false
}

func internalV4(a uint32) bool {
	b0, b1 := a>>24, a>>16&0xff
	switch {
	case b0 == 0, b0 == 10, b0 == 127:
		return true
	case b0 == 169 && b1 == 254, b0 == 192 && b1 == 168, b0 == 172 && b1&0xf0 == 16:
		return true
	case b0 == 100 && b1&0xc0 == 64: // 100.64/10 incl. 100.100.100.200
		return true
	case a>>8 == 192<<16: // 192.0.0.0/24
		return true
	}
	return false
}

func internalAddr(a netip.Addr) bool {
	a = a.WithZone("")
	if a.Is4In6() || a.Is4() {
		v := a.Unmap().As4()
		return internalV4(uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3]))
	}
	if a.IsLoopback() || a.IsUnspecified() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() {
		return true
	}
	// IPv4-compatible ::a.b.c.d
	b := a.As16()
	if isZero(b[:12]) {
		return internalV4(uint32(b[12])<<24 | uint32(b[13])<<16 | uint32(b[14])<<8 | uint32(b[15]))
	}
	return false
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

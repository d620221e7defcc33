package detect

import "strings"

// Shell and Windows commands, split by how much evidence they need. strong
// commands are not English words, so a separator before them is enough;
// weak ones ("time", "set", "type") also need a shell-looking argument.
var (
	strongCmds = words(`whoami uname wget curl nslookup ifconfig ipconfig netstat bash sh zsh ksh dash csh tcsh
		nc ncat netcat socat python python2 python3 perl ruby php lua telnet base64 chmod chown chgrp mkfifo mknod
		crontab xterm systeminfo tasklist taskkill certutil bitsadmin wmic powershell pwsh cmd ls id ps pwd
		passwd useradd usermod gcc lwp-download busybox nohup xxd hexdump od traceroute tracert
		rm cp mv grep egrep fgrep awk gawk sed xargs printenv uptime scp ssh ftp tftp rsync sudo killall pkill
		ifup arp netsh regedit schtasks nmap openssl whois getent chattr setfacl irb vi vim
		strace ltrace gdb flock perf lastlog base32 aptitude
		ansible-playbook ansible-galaxy ansible-inventory ansible-vault chef-client chef-run ssh-copy-id
		iwr iex invoke-webrequest invoke-expression start-process bcdboot htop nano emacs c89 c99 cc g++ clang tcc
		pry jshell deno bun systemd-run nsenter unshare chroot capsh tclsh rlwrap tmux ionice taskset
		stdbuf toybox ncat.exe mshta rundll32 regsvr32 cscript wscript msiexec forfiles sysinfo`)
	weakCmds = words(`cat echo printf ping sleep kill dig find head tail tee env su net reg ver vol dir mount df du
		timeout time set type call start copy del more less sort uniq wc file which whereis host route
		touch make tar zip unzip gzip dd exec eval export unset source read test java node go tr
		shutdown reboot halt systemctl service ip hostname mail sendmail at who w last date top comm cd
		watch script batch nice expect for if ed ex screen apt apt-get yum dnf pip pip3 npm npx docker kubectl
		ansible git`)
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// cmdi flags a shell command introduced by a separator (; | & && || newline),
// a substitution (`...`, $(...), <(...)), brace expansion, $IFS tricks,
// Shellshock, SSI exec, and code that runs commands.
func cmdi(in *Input) string {
	l := in.Lower
	if !hasAny(l, ";|&\n\r`$(){}<>%?*-/'\"") {
		return ""
	}
	if shellshock(l) {
		return "cmdi.shellshock"
	}
	if strings.Contains(l, "$ifs") || strings.Contains(l, "${ifs") {
		return "cmdi.ifs"
	}
	if strings.Contains(l, "<!--#exec") || strings.Contains(l, "<!--#include") {
		return "cmdi.ssi"
	}
	if strings.Contains(l, "/dev/tcp/") || strings.Contains(l, "/dev/udp/") {
		return "cmdi.reverse_shell"
	}
	if execCall(l) {
		return "cmdi.exec_call"
	}
	if startCommand(l) {
		return "cmdi.command"
	}
	if globPath(l) {
		return "cmdi.glob"
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		var next int
		switch c {
		case ';', '|', '&', '\n', '\r', '`':
			next = i + 1
		case '$', '<', '>':
			if i+1 < len(l) && l[i+1] == '(' {
				next = i + 2
			} else {
				continue
			}
		case '{':
			if braceCommand(l, i) {
				return "cmdi.brace_expansion"
			}
			continue
		default:
			continue
		}
		if c == '&' && isEntityAmp(l, i) {
			continue
		}
		if r := commandAt(l, next, c); r {
			return "cmdi.command"
		}
	}
	return ""
}

// isEntityAmp reports whether l[i] is the '&' of a residual HTML entity.
func isEntityAmp(l string, i int) bool {
	j := i + 1
	for j < len(l) && j < i+10 && (l[j] >= 'a' && l[j] <= 'z' || l[j] == '#' || l[j] >= '0' && l[j] <= '9') {
		j++
	}
	return j < len(l) && l[j] == ';' && j > i+1
}

// commandAt reports whether a command name starts at l[i] (after blanks,
// quotes, grouping and path prefixes), judged with its argument.
func commandAt(l string, i int, sep byte) bool {
	for i < len(l) {
		switch l[i] {
		case ' ', '\t', '\n', '\r', '(', '{', '|', '&', ';', '!', '\'', '"', '`', '\\', '@':
			i++
			continue
		}
		break
	}
	if i >= len(l) {
		return false
	}
	// path prefix: /bin/, /usr/bin/, c:\windows\system32\ ...
	start := i
	end := i
	var w []byte
	obfuscated := false
	for end < len(l) {
		c := l[end]
		if c == ' ' || c == '\t' || c == ';' || c == '|' || c == '&' || c == '>' || c == '<' || c == ')' || c == '`' || c == '\n' || c == ',' || c == '}' {
			break
		}
		if c == '$' && end+1 < len(l) && (strings.IndexByte("@*!#?$-0123456789", l[end+1]) >= 0 || l[end+1] == '(' && end+2 < len(l) && l[end+2] == ')') {
			// ca$@t, una$$me, c$()at: (usually) empty expansions that split a name
			end += 2
			if l[end-1] == '(' {
				end++
			}
			obfuscated = true
			continue
		}
		if c == '$' && end+1 < len(l) && l[end+1] == '{' {
			if k := strings.IndexByte(l[end:], '}'); k > 0 {
				end += k + 1
				continue
			}
		}
		switch {
		case c == '/' || c == '\\':
			w = w[:0] // keep only the last path element
		case c == '\'' || c == '"' || c == '^' || c == '[' || c == ']':
			// quote, caret and bracket splitting: c'a't, w"h"oami, who^ami, [u]name
			obfuscated = true
		default:
			w = append(w, c)
		}
		end++
	}
	if end == start || len(w) == 0 {
		return false
	}
	name := strings.TrimSuffix(string(w), ".exe")
	if sep == 0 {
		// at the start of a value a command needs an option, path or shell
		// argument, unless its name is obfuscated (who$()ami, c'a't)
		if !strongCmds[name] && !weakCmds[name] {
			return false
		}
		if obfuscated && w != nil && (strongCmds[name] || end >= len(l)) {
			return true
		}
		return shellArg(l, end)
	}
	if strongCmds[name] {
		return true
	}
	if weakCmds[name] {
		return commandArgOK(l, end, sep)
	}
	return false
}

// commandArgOK judges what follows a command name that is also an English
// word: it needs a shell-looking argument or an immediate end.
func commandArgOK(l string, i int, sep byte) bool {
	if i >= len(l) {
		return true
	}
	switch l[i] {
	case ';', '|', '&', '>', '<', ')', '`', '\n', '}':
		return true
	}
	if sep == '(' {
		return true // $(name ...): a substitution is a command by construction
	}
	// Windows "net user", "net localgroup": the sub-command gives it away
	if strings.HasSuffix(l[:i], "net") {
		rest := strings.TrimLeft(l[i:], " ")
		for _, sc := range []string{"user", "localgroup", "group", "share", "use ", "view", "start", "stop", "accounts", "session"} {
			if strings.HasPrefix(rest, sc) {
				return true
			}
		}
	}
	return shellArg(l, i)
}

// execCall flags code that runs a command: system("..."), exec('...'),
// Runtime.getRuntime().exec, child_process, os.popen and the like.
func execCall(l string) bool {
	for _, f := range []string{"system(", "exec(", "passthru(", "shell_exec(", "popen(", "proc_open(", "pcntl_exec(", "execsync(", "spawn(", "execfile("} {
		i := strings.Index(l, f)
		if i < 0 {
			continue
		}
		if i > 0 {
			if p := l[i-1]; p >= 'a' && p <= 'z' || p == '_' {
				continue
			}
		}
		rest := strings.TrimLeft(l[i+len(f):], " ")
		if rest != "" && (rest[0] == '\'' || rest[0] == '"' || rest[0] == '`' || rest[0] == '$') {
			return true
		}
	}
	return strings.Contains(l, "child_process") || strings.Contains(l, "getruntime().exec") ||
		strings.Contains(l, "<?php") && (strings.Contains(l, "`") || strings.Contains(l, "system") || strings.Contains(l, "exec"))
}

// startCommand flags a value that is itself a command line.
func startCommand(l string) bool {
	t := strings.TrimLeft(l, " \t")
	if t == "" || t[0] == '-' {
		return false
	}
	if strings.HasPrefix(t, "$shell") || strings.HasPrefix(t, "${shell}") {
		return true
	}
	if !commandAt(t, 0, 0) {
		return false
	}
	// "rm -rf is dangerous": prose after the options is not a command line
	if !hasAny(t, "|;&<>$") {
		prose := 0
		for _, f := range strings.Fields(t)[1:] {
			if isProseWord(f) {
				prose++
			}
		}
		return prose < 2
	}
	return true
}

func isProseWord(f string) bool {
	f = strings.Trim(f, "(),.!?")
	if len(f) < 2 || strongCmds[f] {
		return false
	}
	for i := 0; i < len(f); i++ {
		if f[i] < 'a' || f[i] > 'z' {
			return false
		}
	}
	return true
}

// shellshock flags a bash function definition at the start of a value
// ("() { :; };"), which CVE-2014-6271 executes from environment variables.
func shellshock(l string) bool {
	for i := 0; ; {
		j := strings.Index(l[i:], "()")
		if j < 0 {
			return false
		}
		j += i
		i = j + 2
		if j > 0 && (isWord(l[j-1]) || l[j-1] == ')') {
			continue
		}
		rest := strings.TrimLeft(l[i:], " ")
		if strings.HasPrefix(rest, "{") {
			return true
		}
	}
}

// shellArg reports whether l[i:] starts (after blanks) with an argument
// only a command line has: an option, a path, a variable, a quote, a
// redirection or a number.
func shellArg(l string, i int) bool {
	if i >= len(l) || l[i] != ' ' && l[i] != '\t' {
		return false
	}
	for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		i++
	}
	if i >= len(l) {
		return false
	}
	switch l[i] {
	case '-', '/', '$', '~', '\'', '"', '>', '<', '|', '\\', '.', '%':
		return true
	}
	if l[i] >= '0' && l[i] <= '9' || winPath(l[i:]) {
		return true
	}
	// a URL argument: curl http://..., wget https://...
	end := strings.IndexAny(l[i:], " \t")
	if end < 0 {
		end = len(l) - i
	}
	return strings.Contains(l[i:i+end], "://")
}

// winPath reports a drive-letter path such as c:\windows.
func winPath(s string) bool {
	return len(s) >= 3 && s[0] >= 'a' && s[0] <= 'z' && s[1] == ':' && (s[2] == '\\' || s[2] == '/')
}

// globPath flags /???/??t-style paths, wildcards standing in for a
// binary's name to dodge keyword filters.
func globPath(l string) bool {
	for i := 0; i+3 < len(l); i++ {
		if l[i] != '/' {
			continue
		}
		j := i + 1
		for j < len(l) && l[j] == '?' {
			j++
		}
		if j-i >= 3 && j < len(l) && l[j] == '/' {
			return true
		}
	}
	return false
}

// braceCommand flags bash brace expansion that yields a command name:
// {cat,/etc/passwd}, {,ifconfig,eth0}, c{a,oun}t.
func braceCommand(l string, open int) bool {
	end := strings.IndexByte(l[open:], '}')
	if end < 0 {
		return false
	}
	body := l[open+1 : open+end]
	if !strings.Contains(body, ",") || strings.ContainsAny(body, " \t\"{") {
		return false
	}
	pre := open
	for pre > 0 && l[pre-1] >= 'a' && l[pre-1] <= 'z' {
		pre--
	}
	post := open + end + 1
	for post < len(l) && l[post] >= 'a' && l[post] <= 'z' {
		post++
	}
	for _, item := range strings.Split(body, ",") {
		w := l[pre:open] + item + l[open+end+1:post]
		if strongCmds[w] || weakCmds[w] || strongCmds[item] {
			return true
		}
	}
	return false
}

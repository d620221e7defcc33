#!/bin/sh
# Builds the faasguard Lambda extension layer zips, one per architecture:
#   dist/faasguard-extension-x86_64.zip  (GOARCH=amd64)
#   dist/faasguard-extension-arm64.zip   (GOARCH=arm64)
# Layer layout (unpacked under /opt by Lambda):
#   extensions/faasguard-extension   the extension (Lambda starts it before the runtime)
#   faasguard-wrapper                set AWS_LAMBDA_EXEC_WRAPPER=/opt/faasguard-wrapper
# Usage: scripts/package-extension.sh [OUTDIR]   (run from anywhere in the repository)
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/dist"}
mkdir -p "$out"
out=$(cd "$out" && pwd)
command -v zip >/dev/null 2>&1 || { echo "package-extension: zip is required" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

for arch in x86_64 arm64; do
	case $arch in
	x86_64) goarch=amd64 ;;
	arm64) goarch=arm64 ;;
	esac
	layer="$work/$arch"
	mkdir -p "$layer/extensions"
	(cd "$root" && GOOS=linux GOARCH=$goarch CGO_ENABLED=0 \
		go build -trimpath -ldflags='-s -w' -o "$layer/extensions/faasguard-extension" ./cmd/faasguard-extension)
	cat >"$layer/faasguard-wrapper" <<'WRAPPER'
#!/bin/sh
# faasguard runtime wrapper: set AWS_LAMBDA_EXEC_WRAPPER=/opt/faasguard-wrapper.
# Points the runtime at the faasguard extension, which proxies the real
# Runtime API and inspects every event before the runtime sees it.
export AWS_LAMBDA_RUNTIME_API="${FAASGUARD_PROXY_ADDR:-127.0.0.1:9009}"
exec "$@"
WRAPPER
	chmod 755 "$layer/faasguard-wrapper" "$layer/extensions/faasguard-extension"
	rm -f "$out/faasguard-extension-$arch.zip"
	(cd "$layer" && zip -q -X -r "$out/faasguard-extension-$arch.zip" extensions faasguard-wrapper)
	echo "$out/faasguard-extension-$arch.zip ($(wc -c <"$out/faasguard-extension-$arch.zip") bytes)"
done

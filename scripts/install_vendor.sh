#!/usr/bin/env bash
# Installs the browser libraries that come from npm, as core/static/core/vendor/npm.txt lists them, into
# core/static/core/vendor/npm/<package>/ (served by this server as static files); a package already there at its
# version is left alone. Each is fetched with `npm pack` (the published package alone, no dependencies: the files
# served are its own built bundles). Needs npm (scripts/install_system.sh installs Debian's).
set -euo pipefail
cd "$(dirname "$0")/.."
list=core/static/core/vendor/npm.txt
target=core/static/core/vendor/npm
installed=()
while read -r spec files; do
  [[ -z "$spec" || "$spec" == \#* ]] && continue
  name="${spec%@*}"
  version="${spec##*@}"
  dest="$target/$name"
  if [ -f "$dest/.version" ] && [ "$(cat "$dest/.version")" = "$version" ]; then
    continue
  fi
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz)
  rm -rf "$dest"
  mkdir -p "$dest"
  for file in $files; do
    mkdir -p "$dest/$(dirname "$file")"
    cp -r "$work/package/$file" "$dest/$file"
  done
  echo "$version" > "$dest/.version"
  rm -rf "$work"
  installed+=("$spec")
done < "$list"
if [ "${#installed[@]}" -eq 0 ]; then
  echo "browser libraries: all present"
else
  echo "browser libraries: installed ${installed[*]}"
fi

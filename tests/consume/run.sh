#!/usr/bin/env bash
# Installs weir from a meson build into a temporary directory and builds and
# runs tests/consume/consumer.cpp against it twice: with pkg-config and with
# CMake's find_package(weir). Then configures a meson project that uses weir
# as a subproject. Usage: run.sh <weir build dir> <weir source dir>.
# Exit 77 (meson's "skipped") only if cmake or pkg-config is not installed.
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
here="$source/tests/consume"
for tool in cmake pkg-config; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (scripts/install-deps brings it)"
    exit 77
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== meson install --destdir $work/stage"
meson install -C "$build" --no-rebuild --quiet --destdir "$work/stage"
prefix="$work/stage$(meson introspect "$build" --buildoptions |
  python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')"
libdir=$(dirname "$(find "$prefix" -name libweir_actors.so -print -quit)")
[ -n "$libdir" ] || { echo "FAIL: no libweir_actors.so under $prefix"; exit 1; }
if find "$prefix" -name '*.a' -exec sh -c 'head -c 8 "$1" | grep -q "!<thin>"' _ {} \; -print | grep .; then
  echo "FAIL: thin archives installed (above)"; exit 1
fi
# The shared libraries are found there at run time, as /usr/local/lib would be.
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

echo "== pkg-config consumer"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046  # pkg-config prints several flags on purpose
c++ -std=c++20 -o "$work/pc-consumer" "$here/consumer.cpp" \
  $(pkg-config --define-variable=prefix="$prefix" --cflags --libs weir)
"$work/pc-consumer"

echo "== CMake consumer (find_package(weir), weir::weir)"
cmake -S "$here/cmake" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cmake.log" ||
  { cat "$work/cmake.log"; exit 1; }
cmake --build "$work/cmake-build" >"$work/cmake-build.log" || { cat "$work/cmake-build.log"; exit 1; }
"$work/cmake-build/consumer"

echo "== meson subproject consumer (configure only)"
cp -r "$here" "$work/consume"
mkdir "$work/consume/subproject/subprojects"
ln -s "$source" "$work/consume/subproject/subprojects/weir"
# Without the installed weir on PKG_CONFIG_PATH: the fallback must resolve it.
PKG_CONFIG_PATH= meson setup "$work/sub-build" "$work/consume/subproject" >"$work/sub.log" ||
  { cat "$work/sub.log"; exit 1; }
if meson introspect "$work/sub-build" --tests | grep -q '"name"'; then
  echo "FAIL: weir as a subproject registered tests"; exit 1
fi
echo "consume: pkg-config, CMake and subproject consumers OK"

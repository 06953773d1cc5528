# Sourced by tools that need the runtime compiled apart from SwiftPM's build (sanitizers, libFuzzer):
#   swift_program OUT SANITIZE PROGRAM "MODULE ..." SOURCE...
# compiles each package module (in dependency order) as the host package does (-O, whole module)
# into OUT/obj, with -sanitize=SANITIZE unless it is empty, and links OUT/PROGRAM from SOURCE...
# A module is recompiled when one of its sources, or a module before it (its dependencies come
# first), is newer than its object. SwiftProtobuf comes from SwiftPM's debug build, or else is
# compiled from the package's checkout (resolved on first use).
swift_program() {
  local out=$1 sanitize=$2 program=$3
  local -a modules=($4)
  shift 4
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  mkdir -p "$out/modules" "$out/obj"
  local -a flags=(-O -wmo -parse-as-library -I "$out/modules"
    -I "$root/Sources/CEdgePackSys/include" -I "$root/Sources/CEdgePackALSA/include")
  # As Package.swift: x86-64-v2 for popcount; the FMA loops choose their instructions at run time.
  [ "$(uname -m)" = x86_64 ] && flags+=(-Xcc -march=x86-64-v2)
  local -a cflags=(-O1 -g -I "$root/Sources/CEdgePackSys/include" -I "$root/Sources/CEdgePackALSA/include")
  if [ -n "$sanitize" ]; then
    flags+=(-sanitize="$sanitize")
    cflags+=(-fsanitize="${sanitize/fuzzer/fuzzer-no-link}")
  fi
  local -a objs=() libs=() files=()
  local c module dir obj spm prev=
  for c in "$root"/Sources/CEdgePackSys/*.c; do
    obj="$out/obj/sys-$(basename "$c" .c).o"
    [ -f "$obj" ] && [ "$obj" -nt "$c" ] || clang "${cflags[@]}" -c "$c" -o "$obj"
    objs+=("$obj")
  done
  for module in "${modules[@]}"; do
    case "$module" in
      SwiftProtobuf)
        # SwiftPM's debug build of it where `swift build` has made one: a third-party decoder,
        # left uninstrumented, saves minutes of compiling.
        spm="$root/.build/debug"
        if [ -f "$spm/Modules/SwiftProtobuf.swiftmodule" ] && compgen -G "$spm/SwiftProtobuf.build/*.o" >/dev/null; then
          cmp -s "$spm/Modules/SwiftProtobuf.swiftmodule" "$out/modules/SwiftProtobuf.swiftmodule" ||
            cp "$spm/Modules/SwiftProtobuf.swiftmodule" "$out/modules/"
          objs+=("$spm"/SwiftProtobuf.build/*.o)
          obj="$out/modules/SwiftProtobuf.swiftmodule"
          [ -n "$prev" ] && [ "$prev" -nt "$obj" ] || prev=$obj
          continue
        fi
        [ -d "$root/.build/checkouts/swift-protobuf" ] || (cd "$root" && swift package resolve >&2)
        dir="$root/.build/checkouts/swift-protobuf/Sources/SwiftProtobuf" ;;
      *) dir="$root/Sources/$module" ;;
    esac
    obj="$out/obj/$module.o"
    # SwiftProtobuf depends on none of ours: only its own sources make it stale.
    if [ ! -f "$obj" ] || { [ -n "$prev" ] && [ "$prev" -nt "$obj" ] && [ "$module" != SwiftProtobuf ]; } ||
       [ -n "$(find "$dir" -name '*.swift' -newer "$obj" | head -1)" ]; then
      echo "$program: compiling $module" >&2
      mapfile -t files < <(find "$dir" -name '*.swift' | sort)
      swiftc "${flags[@]}" -package-name "$module" -module-name "$module" -emit-module \
        -emit-module-path "$out/modules/$module.swiftmodule" -c "${files[@]}" -o "$obj"
    fi
    objs+=("$obj")
    [ -n "$prev" ] && [ "$prev" -nt "$obj" ] || prev=$obj
    if [ "$module" = EdgePackAudio ]; then
      libs+=(-lasound)
      for c in "$root"/Sources/CEdgePackALSA/*.c; do
        clang "${cflags[@]/fuzzer-no-link,/}" -c "$c" -o "$out/obj/alsa-$(basename "$c" .c).o"
        objs+=("$out/obj/alsa-$(basename "$c" .c).o")
      done
    fi
  done
  local f
  for f in "${objs[@]}" "$@"; do [ "$out/$program" -nt "$f" ] || break; done
  [ "$out/$program" -nt "$f" ] && return
  echo "$program: linking" >&2
  # gold warns once per ASan helper symbol it cannot export; nothing to act on.
  swiftc "${flags[@]}" -module-name "$(echo "$program" | tr -c 'A-Za-z0-9\n' _)" "$@" "${objs[@]}" "${libs[@]}" \
    -o "$out/$program" 2> >(grep -v "Cannot export local symbol '__asan" >&2)
}

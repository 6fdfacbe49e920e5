#!/usr/bin/env bash
# `make dist`: the stripped release binaries of $RELEASE_DIR packaged three ways into OUT
# (default dist/), with SHA256SUMS over the three:
#
#   cce-kubeconfigd-V-linux-ARCH.tar.gz  a tree for PREFIX=~/.local (bin/, libexec/, share/):
#                                        tar -xzf FILE -C ~/.local --strip-components=1
#   cce-kubeconfigd_V-1_DEBARCH.deb      dpkg-deb; Depends from dpkg-shlibdeps; lintian-clean
#   cce-kubeconfigd-V-1.ARCH.rpm         rpmbuild of packaging/rpm/cce-kubeconfigd.spec
#
# and OUT/debug/*.debug, the debug info objcopy separated from the binaries (in no package, not
# in SHA256SUMS). The packages put the binary in /usr/bin, the LIBEXEC_PROGRAMS in
# /usr/libexec/cce-kubeconfigd, the user unit in /usr/lib/systemd/user; they have no maintainer
# scripts, so installing one prints nothing, writes into no home and enables nothing.
#
# Reproducible: every date is SOURCE_DATE_EPOCH, archive members are sorted, owned by root:root
# (0:0) with fixed modes, gzip writes no name or time.
#
# usage: VERSION=0.1.0 SOURCE_DATE_EPOCH=... RELEASE_DIR=.build-release/shipped \
#          LIBEXEC_PROGRAMS='cce-simulator' packaging/dist.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:?}" "${SOURCE_DATE_EPOCH:?}" "${RELEASE_DIR:?}"
LIBEXEC_PROGRAMS=${LIBEXEC_PROGRAMS-}
out=${1:-dist}
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH
umask 022

name=cce-kubeconfigd
revision=1                       # the packaging's own version: Debian's -1, RPM's Release
deb_version=$VERSION-$revision
deb_arch=$(dpkg --print-architecture)
arch=$(uname -m)
tarball=$name-$VERSION-linux-$arch
bin=$RELEASE_DIR/$name
for program in $name $LIBEXEC_PROGRAMS generate-manual; do
  [ -x "$RELEASE_DIR/$program" ] || { echo "$RELEASE_DIR/$program is missing: run make release" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# What every format ships, generated once from the binary itself.
# bash sources a completion file: no hashbang (lintian: bash-completion-with-hashbang).
"$bin" --generate-completion-script bash | sed '1{/^#!/d}' > "$work/completion.bash"
"$bin" --generate-completion-script zsh > "$work/completion.zsh"
"$bin" --generate-completion-script fish > "$work/completion.fish"
mkdir "$work/man"
"$RELEASE_DIR/generate-manual" "$bin" --date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)" --output-directory "$work/man"
# An empty line in mdoc is a paragraph break groff warns about; .Pp is the macro for one.
sed 's/^$/.Pp/' "$work/man/$name.1" | gzip -9n > "$work/man.1.gz"

# stage ROOT PREFIX ZSH_DIR UNIT_DIR EXECUTABLE: one format's tree. The unit's ExecStart names
# EXECUTABLE; the example config goes to PREFIX/share/doc/cce-kubeconfigd/examples/.
stage() {
  local root=$1 prefix=$2 zsh=$3 units=$4 executable=$5
  install -D -m 0755 "$bin" "$root$prefix/bin/$name"
  for program in $LIBEXEC_PROGRAMS; do
    install -D -m 0755 "$RELEASE_DIR/$program" "$root$prefix/libexec/$name/$program"
  done
  install -D -m 0644 "$work/man.1.gz" "$root$prefix/share/man/man1/$name.1.gz"
  install -D -m 0644 "$work/completion.bash" "$root$prefix/share/bash-completion/completions/$name"
  install -D -m 0644 "$work/completion.zsh" "$root$zsh/_$name"
  install -D -m 0644 "$work/completion.fish" "$root$prefix/share/fish/vendor_completions.d/$name.fish"
  install -d -m 0755 "$root$units"
  sed "s|%h/\.local/bin/$name|$executable|" systemd/$name.service > "$root$units/$name.service"
  chmod 0644 "$root$units/$name.service"
  install -D -m 0644 config/config.yaml "$root$prefix/share/doc/$name/examples/config.yaml"
}

# Every file and directory of a tree gets the commit's time.
settle() { find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +; }

rm -rf "$out"
mkdir -p "$out/debug"

# The tarball: the user unit in ~/.local/share/systemd/user, a directory of the user manager's
# search path, running ~/.local/bin/cce-kubeconfigd (the unit as committed).
tree=$work/tar/$tarball
stage "$tree" "" /share/zsh/site-functions /share/systemd/user "%h/.local/bin/$name"
install -m 0644 README.md LICENSE "$tree/share/doc/$name/"
settle "$work/tar"
tar -C "$work/tar" --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  --format=gnu -cf - "$tarball" | gzip -9n > "$out/$tarball.tar.gz"

# The .deb, staged where dpkg-shlibdeps expects a package's files: debian/<package>/ beside the
# debian/control it reads the package's name from (it has no other use here).
deb=$work/pkg/debian/$name
stage "$deb" /usr /usr/share/zsh/vendor-completions /usr/lib/systemd/user /usr/bin/$name
install -m 0644 packaging/debian/copyright "$deb/usr/share/doc/$name/copyright"
{
  echo "$name ($deb_version) unstable; urgency=medium"
  echo
  echo "  * Release $VERSION."
  echo
  echo " -- $(sed -n 's/^Maintainer: //p' packaging/debian/control)  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$deb/usr/share/doc/$name/changelog.Debian.gz"
chmod 0644 "$deb/usr/share/doc/$name/changelog.Debian.gz"
[ ! -f packaging/debian/lintian-overrides ] ||
  install -D -m 0644 packaging/debian/lintian-overrides "$deb/usr/share/lintian/overrides/$name"
mkdir -m 0755 "$deb/DEBIAN"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$name" "$name" > "$work/pkg/debian/control"
executables=("$deb/usr/bin/$name")
for program in $LIBEXEC_PROGRAMS; do executables+=("$deb/usr/libexec/$name/$program"); done
depends=$(cd "$work/pkg" && dpkg-shlibdeps -O "${executables[@]/#/-e}" | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "dpkg-shlibdeps found no dependency" >&2; exit 1; }
# dpkg-shlibdeps takes glibc's version from the symbols a program imports. Packed relative
# relocations (DT_RELR, the Makefile's -z pack-relative-relocs) need glibc 2.36 through a version
# (GLIBC_ABI_DT_RELR) that no symbol carries; rpm's dependency generator sees it, this adds it.
if objdump -p "${executables[@]}" | grep -q 'GLIBC_ABI_DT_RELR'; then
  libc=$(sed -n 's/.*libc6 (>= \([^)]*\)).*/\1/p' <<<"$depends")
  [ -n "$libc" ] || { echo "dpkg-shlibdeps gave no libc6 version: $depends" >&2; exit 1; }
  dpkg --compare-versions "$libc" ge 2.36 || depends=${depends/"libc6 (>= $libc)"/"libc6 (>= 2.36)"}
fi
# Installed-Size as dpkg-gencontrol counts it (KiB per file, rounded up; 1 per directory), not
# du's, which depends on the file system's blocks.
installed_size=$(find "$deb/usr" -printf '%y %s\n' | awk '{ n += ($1 == "f") ? int(($2 + 1023) / 1024) : 1 } END { print n }')
(cd "$deb" && find usr -type f | sort | xargs md5sum) > "$deb/DEBIAN/md5sums"
sed -e "s/@VERSION@/$deb_version/" -e "s/@ARCH@/$deb_arch/" -e "s/@DEPENDS@/$depends/" \
  -e "s/@INSTALLED_SIZE@/$installed_size/" packaging/debian/control > "$deb/DEBIAN/control"
chmod 0644 "$deb/DEBIAN/md5sums" "$deb/DEBIAN/control"
settle "$deb"
dpkg-deb --root-owner-group -Zxz --threads-max=1 --build "$deb" "$out/${name}_${deb_version}_$deb_arch.deb" >/dev/null

# The .rpm: zsh's directory on RPM systems is site-functions; the licence in /usr/share/licenses.
rpm_root=$work/rpm-stage
stage "$rpm_root" /usr /usr/share/zsh/site-functions /usr/lib/systemd/user /usr/bin/$name
install -D -m 0644 LICENSE "$rpm_root/usr/share/licenses/$name/LICENSE"
settle "$rpm_root"
rpmbuild -bb --quiet --target "$arch" \
  --define "_topdir $work/rpmbuild" --define "_rpmdir $work/rpms" \
  --define '_rpmfilename %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm' \
  --define "pkg_version $VERSION" --define "stage $rpm_root" \
  --define '_buildhost reproducible' --define 'use_source_date_epoch_as_buildtime 1' \
  --define 'clamp_mtime_to_source_date_epoch 1' --define '_binary_payload w9.gzdio' \
  packaging/rpm/$name.spec >/dev/null
mv "$work/rpms/$name-$VERSION-$revision.$arch.rpm" "$out/"

for program in $name $LIBEXEC_PROGRAMS; do
  install -m 0644 "$RELEASE_DIR/debug/$program.debug" "$out/debug/"
done
(cd "$out" && sha256sum "$tarball.tar.gz" "${name}_${deb_version}_$deb_arch.deb" "$name-$VERSION-$revision.$arch.rpm" > SHA256SUMS)
echo "$out:"
(cd "$out" && for file in *.*; do echo "  $file: $(stat -c %s "$file") bytes"; done)

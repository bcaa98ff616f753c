# Sourced, never run: finds a JDK 21+ and holds the JVM options the gateway is run with. Used by ./gateway,
# .ci/run and bench/run.sh (and the bench scripts that source it), so the benchmark measures what users run.

GATEWAY_MIN_JAVA=21

# Heap, collector and arenas measured in bench/README.md ("JVM flags"): a fixed 192 MB heap (live set ~76 MB) with
# the serial collector and 2 malloc arenas keeps RSS after load near 320 MB instead of ~430 MB with the JVM's
# defaults (G1, a quarter of the machine's memory), at the same throughput on 2 cores. ExitOnOutOfMemoryError:
# a gateway out of heap exits so that its supervisor restarts it, instead of staying up wedged.
GATEWAY_HEAP_OPTS="-Xms192m -Xmx192m"
GATEWAY_GC_OPTS="-XX:+UseSerialGC"
GATEWAY_JVM_OPTS="$GATEWAY_HEAP_OPTS $GATEWAY_GC_OPTS -XX:+ExitOnOutOfMemoryError"
GATEWAY_MALLOC_ARENA_MAX=2

java_major_of() {  # jdk-home: its feature version (25, 21, 17; 1 for 1.8), or nothing when it is no JDK
    local home=${1%/} v
    [[ -x $home/bin/java && -x $home/bin/javac ]] || return 0
    # the release file answers without starting a JVM; java -version is the fallback
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
    [[ -n $v ]] || v=$("$home/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, a, "."); print a[1]; exit}')
    echo "$v"
}

jdk_candidates() {  # every place a JDK is usually installed, one per line (missing ones included)
    local java_on_path
    java_on_path=$(command -v javac 2>/dev/null) && echo "$(dirname "$(dirname "$(readlink -f "$java_on_path")")")"
    [[ -x /usr/libexec/java_home ]] && /usr/libexec/java_home -v "$GATEWAY_MIN_JAVA+" 2>/dev/null  # macOS
    ls -d /usr/lib/jvm/*/ "$HOME"/.sdkman/candidates/java/*/ /Library/Java/JavaVirtualMachines/*/Contents/Home/ \
        /opt/homebrew/opt/openjdk*/ /usr/local/opt/openjdk*/ /opt/java/openjdk/ 2>/dev/null
}

jdk_install_hint() {  # the one line that says what to install
    if [[ $(uname -s) == Darwin ]]; then echo "brew install openjdk@21 (or: sdk install java 21-tem)"
    elif command -v apt-get >/dev/null; then echo "sudo apt-get install openjdk-21-jdk (or: sdk install java 21-tem)"
    elif command -v dnf >/dev/null; then echo "sudo dnf install java-21-openjdk-devel (or: sdk install java 21-tem)"
    else echo "a JDK 21+ from https://adoptium.net (or: sdk install java 21-tem)"; fi
}

find_jdk() {  # sets JAVA_HOME and JAVA_MAJOR to a JDK 21+ or prints what to install and returns 1
    # JAVA_HOME wins when it is new enough (the user chose it); otherwise the newest JDK 21+ found.
    local c v best="" best_v=0 seen=""
    if [[ -n ${JAVA_HOME:-} ]]; then
        v=$(java_major_of "$JAVA_HOME")
        if [[ ${v:-0} -ge $GATEWAY_MIN_JAVA ]]; then JAVA_HOME=${JAVA_HOME%/}; JAVA_MAJOR=$v; export JAVA_HOME; return 0; fi
        echo "note: JAVA_HOME=$JAVA_HOME is ${v:+JDK $v, }not a JDK $GATEWAY_MIN_JAVA+; looking for one elsewhere" >&2
    fi
    while read -r c; do
        [[ -n $c ]] || continue
        v=$(java_major_of "$c")
        [[ -n $v && " $seen " != *" $v "* ]] && seen+=" $v"
        if [[ ${v:-0} -ge $GATEWAY_MIN_JAVA && $v -gt $best_v ]]; then best=${c%/}; best_v=$v; fi
    done < <(jdk_candidates)
    if [[ -z $best ]]; then
        echo "error: needs a JDK $GATEWAY_MIN_JAVA or newer (found:${seen:- none}); install one: $(jdk_install_hint), or set JAVA_HOME to it" >&2
        return 1
    fi
    export JAVA_HOME=$best; JAVA_MAJOR=$best_v
}

require_maven() {  # prints what to install and returns 1 when mvn is missing
    command -v mvn >/dev/null && return 0
    local hint="https://maven.apache.org/install.html"
    if [[ $(uname -s) == Darwin ]]; then hint="brew install maven"
    elif command -v apt-get >/dev/null; then hint="sudo apt-get install maven"
    elif command -v dnf >/dev/null; then hint="sudo dnf install maven"; fi
    echo "error: needs Maven 3.8+ to build (mvn is not on the PATH); install it: $hint (or: sdk install maven)" >&2
    return 1
}

maven_env() {  # Maven runs on the chosen JDK, and on JDK 24+ without the sun.misc.Unsafe warnings of its own libraries
    export PATH="$JAVA_HOME/bin:$PATH"  # tests and Maven plugins that start `java` get the same JDK
    MAVEN_OPTS=$(with_unsafe_access "${MAVEN_OPTS:-}"); export MAVEN_OPTS=${MAVEN_OPTS# }
}

build_if_stale() {  # root jar: (re)build the jar with Maven (JAVA_HOME's JDK) when missing or older than pom.xml or src/main
    local root=$1 jar=$2
    if [[ -f $jar && -z $(find "$root/pom.xml" "$root/src/main" -newer "$jar" -print -quit) ]]; then return 0; fi
    require_maven || exit 1
    echo "gateway: building ${jar#"$root"/} with JDK $JAVA_MAJOR (the first build downloads the dependencies: a few minutes)" >&2
    # Shading comes last: a build cut short leaves a jar without its dependencies that would look up to date.
    rm -f "$jar"
    trap 'rm -f "$jar"' EXIT
    trap 'rm -f "$jar"; exit 130' INT TERM
    (maven_env; mvn -f "$root/pom.xml" -q -B -ntp -Dstyle.color=never -DskipTests package >&2)
    trap - EXIT INT TERM
    [[ -f $jar ]] || { echo "error: the build left no $jar" >&2; exit 1; }
}

with_unsafe_access() {  # jvm-options: the same, plus --sun-misc-unsafe-memory-access=allow on JDK 24+ when missing
    # JDK 24+ warns on sun.misc.Unsafe memory access and Netty (4.2, JDK 25+) then falls back to bounds-checked
    # ByteBuffer access for every socket buffer (~3 % of the gateway's CPU); allowing it is Netty's recommended
    # setting. JDK 21 and 22 do not know the flag and need none; on 23 it is the default.
    if [[ $JAVA_MAJOR -ge 24 && $1 != *sun-misc-unsafe-memory-access* ]]; then echo "$1 --sun-misc-unsafe-memory-access=allow"
    else echo "$1"; fi
}

cds_opts() {  # archive-file: the class-data archive options (JDK 19+): written when the first launch of a jar exits,
    # mapped by every later launch (~1.0-1.4 s to healthy instead of ~2 s); -Xlog:cds=off keeps the JVM's ~190 lines
    # about classes left out of the archive off standard output, which in production is the request log
    echo "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$1 -Xlog:cds=off"
}

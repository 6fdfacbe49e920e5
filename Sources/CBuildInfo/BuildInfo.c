// The two strings come from Package.swift, which defines them for this target alone from the
// environment the Makefile sets, so a new commit recompiles this file and relinks, nothing more.
// A plain `swift build` defines neither.
#include "CBuildInfo.h"

#ifndef CCE_BUILD_VERSION
#define CCE_BUILD_VERSION "unknown"
#endif
#ifndef CCE_BUILD_COMMIT
#define CCE_BUILD_COMMIT "unknown"
#endif

const char *cce_build_version(void) { return CCE_BUILD_VERSION; }

const char *cce_build_commit(void) { return CCE_BUILD_COMMIT; }

#ifndef CBUILDINFO_H
#define CBUILDINFO_H

/// The release this binary was built as (the VERSION file through `make`), or "unknown".
const char *cce_build_version(void);

/// The commit this binary was built from (`git describe --always --dirty` through `make`),
/// or "unknown".
const char *cce_build_commit(void);

#endif

// glibc's allocator controls, which Swift's Glibc module does not export: malloc_trim(3).
#include <malloc.h>

#pragma once

namespace dicometl::pipeline {

//! Keeps freed heap memory in the process. Parsed headers are allocated by one thread and freed
//! by another, batch after batch: with glibc's defaults the heaps shrink and regrow all along
//! (page faults, sysmalloc). Keeping what was freed (the peak stays what it was) cut an ingest's
//! CPU by ~8% and its page faults by ~20% on scanner-shaped headers (docs/benchmarks.md). Called
//! once at start by the dicometl binary, and by the benchmarks that must measure what it does.
void keep_freed_heap();

}  // namespace dicometl::pipeline

#pragma once
// A test whose input (a Debian package's files, a server) is missing is skipped on a developer
// machine, but fails under CI=true: there a skip would hide a broken test machine.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace dicometl::test {

//! True when the CI environment variable says so (GitHub, GitLab and most others set CI=true).
inline bool under_ci() {
  const char* ci = std::getenv("CI");
  if (!ci) return false;
  const std::string v = ci;
  return v == "true" || v == "TRUE" || v == "True" || v == "1" || v == "yes";
}

}  // namespace dicometl::test

//! Skips the test (or fails it under CI=true) because `what` is missing; returns from it.
#define DICOMETL_MISSING_DEPENDENCY(what)                                             \
  do {                                                                                \
    if (::dicometl::test::under_ci()) FAIL() << (what) << " (required when CI=true)"; \
    GTEST_SKIP() << (what);                                                           \
  } while (0)

// DICOMETL_MISSING_DEPENDENCY: a skip on a developer machine, a failure under CI=true.
#include "missing_dependency.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace {

//! Restores CI on scope exit, so the test leaves the environment as it found it.
struct CiVariable {
  std::string old;
  bool had = false;
  explicit CiVariable(const char* value) {
    if (const char* v = std::getenv("CI")) had = true, old = v;
    if (value)
      ::setenv("CI", value, 1);
    else
      ::unsetenv("CI");
  }
  ~CiVariable() {
    if (had)
      ::setenv("CI", old.c_str(), 1);
    else
      ::unsetenv("CI");
  }
};

void needs_missing_thing() { DICOMETL_MISSING_DEPENDENCY("the thing is missing"); }

}  // namespace

TEST(MissingDependency, FailsUnderCi) {
  CiVariable ci("true");
  EXPECT_FATAL_FAILURE(needs_missing_thing(), "the thing is missing (required when CI=true)");
}

TEST(MissingDependency, KnowsWhenItIsUnderCi) {
  {
    CiVariable ci(nullptr);
    EXPECT_FALSE(dicometl::test::under_ci());
  }
  {
    CiVariable ci("false");
    EXPECT_FALSE(dicometl::test::under_ci());
  }
  CiVariable ci("1");
  EXPECT_TRUE(dicometl::test::under_ci());
}

// Local roots are normalised before the walk (README: file paths), so that every spelling of a
// folder gives the same catalog paths.
#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>

#include "dicometl/source/local_walk.hpp"

using dicometl::source::catalog_root;
using dicometl::source::normalise_root;

TEST(NormaliseRoot, LexicalSpellingsOfOneFolderAreOne) {
  for (const char* spelling :
       {"/data/pacs", "/data/pacs/", "/data//pacs", "//data/./pacs/.//", "/./data/pacs/."})
    EXPECT_EQ(normalise_root(spelling), "/data/pacs") << spelling;
  EXPECT_EQ(normalise_root("/"), "/");
  EXPECT_EQ(normalise_root("//"), "/");
  EXPECT_EQ(normalise_root("/."), "/");
}

TEST(NormaliseRoot, RelativeRootsStartAtTheCurrentFolder) {
  const auto tmp = std::filesystem::temp_directory_path() / "dicometl-normalise-root-test";
  std::filesystem::create_directories(tmp / "x");
  const auto before = std::filesystem::current_path();
  const char* pwd = std::getenv("PWD");
  const std::string old_pwd = pwd ? pwd : "";
  std::filesystem::current_path(tmp);
  char real[PATH_MAX];
  ASSERT_NE(::realpath(".", real), nullptr);
  ::setenv("PWD", real, 1);  // as a shell would have it
  const std::string here = real;
  EXPECT_EQ(normalise_root("x"), here + "/x");
  EXPECT_EQ(normalise_root("./x/"), here + "/x");
  EXPECT_EQ(normalise_root("."), here);
  // `..` is resolved by the file system (it may follow a symbolic link).
  EXPECT_EQ(normalise_root("x/.."), here);
  std::filesystem::current_path(before);
  pwd ? ::setenv("PWD", old_pwd.c_str(), 1) : ::unsetenv("PWD");
  std::filesystem::remove_all(tmp);
}

TEST(NormaliseRoot, CatalogRootEscapesBytesThatAreNotUtf8) {
  EXPECT_EQ(catalog_root("/share/caf\xE9/"), "/share/caf\\xE9");
}

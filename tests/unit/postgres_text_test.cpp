// The PostgreSQL backend's SQL text helpers (no server needed; the server tests are integration).
#include <gtest/gtest.h>

#include "dicometl/model/utf8.hpp"
#include "dicometl/storage/postgres/postgres_database.hpp"

using namespace dicometl;
using namespace dicometl::storage;

TEST(PostgresText, PlaceholdersBecomeNumbered) {
  int n = 0;
  EXPECT_EQ(translate_placeholders("SELECT ? , ?", &n), "SELECT $1 , $2");
  EXPECT_EQ(n, 2);
  EXPECT_EQ(translate_placeholders("SELECT '?', \"a?\", ? -- what?\n, ?", &n),
            "SELECT '?', \"a?\", $1 -- what?\n, $2");
  EXPECT_EQ(n, 2);
  EXPECT_EQ(translate_placeholders("SELECT 'it''s ?', ?", &n), "SELECT 'it''s ?', $1");
}

TEST(PostgresText, CopyEscapes) {
  std::string out;
  append_copy_text("a\tb\nc\\d\re", out);
  EXPECT_EQ(out, "a\\tb\\nc\\\\d\\re");
  out.clear();
  append_copy_text(std::string("x\0y", 3), out);
  EXPECT_EQ(out, "xy");
}

TEST(PostgresText, InvalidUtf8IsReplaced) {
  EXPECT_EQ(to_valid_utf8("ok"), "ok");
  EXPECT_EQ(to_valid_utf8("a\xFF"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(utf8_valid_prefix("Gr\xC3\xB6\xC3\x9F"
                              "e"),
            7u);
}

TEST(PostgresOpen, PasswordInUrlIsRefused) {
  try {
    open_postgres("postgresql://u:secret@127.0.0.1:1/db");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("PGPASSWORD"), std::string::npos);
  }
}

// Names built from DICOM values for --png-dir / --words-dir (issue 13 item 5): one path
// component, never hidden, never outside the output folder.
#include <gtest/gtest.h>

#include "dicometl/dexa/output_names.hpp"

using namespace dicometl::dexa;

TEST(DexaOutputNames, SafeName) {
  EXPECT_EQ(safe_name("1.2.840.113619.2.1", "page"), "1.2.840.113619.2.1");
  EXPECT_EQ(safe_name("AP Spine", "unnamed"), "AP_Spine");
  EXPECT_EQ(safe_name("../../../../tmp/pwned", "page"), "___.._.._.._tmp_pwned");
  EXPECT_EQ(safe_name("..", "page"), "__");
  EXPECT_EQ(safe_name(".hidden", "page"), "_hidden");
  EXPECT_EQ(safe_name("", "page"), "page");
  EXPECT_EQ(safe_name("a\\b\0c", "page"), "a_b");  // the literal ends at \0
  EXPECT_EQ(safe_name(std::string(300, 'x'), "page").size(), 100u);
}

TEST(DexaOutputNames, OutputPathStaysInside) {
  EXPECT_EQ(output_path("/out/png", "AP Spine", "1.2.3", ".png"), "/out/png/AP_Spine/1.2.3.png");
  EXPECT_EQ(output_path("/out/words", "", "../../x", ".tsv"), "/out/words/___.._x.tsv");
  EXPECT_EQ(output_path("out", "..", "..", ".png"), "out/__/__.png");
}

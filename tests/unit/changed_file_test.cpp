// Files whose size is not what the walk recorded (truncated or rewritten in between): the reader
// must end, with a reject that says so, never spin (issue 13 item 1: it used to loop forever at
// 100 % CPU). Every read runs under a time limit: a hang fails the test and ends the process.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>

#include "dicometl/dicom/header_reader.hpp"
#include "file_fixture.hpp"
#include "part10_bytes.hpp"

using namespace dicometl;
using namespace dicometl::test;

namespace {

std::string dataset() {
  std::string ds =
      element(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.7") + element(8, 0x18, "UI", "2.25.5");
  ds += element(8, 0x1030, "LO", std::string(3000, 'd'));  // makes the header longer than 2 KB
  return ds + element(0x10, 0x10, "PN", "Shrinking^File") + element(0x20, 0xD, "UI", "2.25.6") +
         element(0x20, 0xE, "UI", "2.25.7");
}

std::string deflate_raw(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

class ChangedFile : public FileTest {
 protected:
  // read_header under a time limit; a hang ends the process (a spinning thread cannot be joined).
  static ReadOutcome read_bounded(const FileStat& f, bool force_dcmtk = false) {
    dicom::ReadOptions o;
    o.force_dcmtk = force_dcmtk;
    auto result = std::async(std::launch::async, [f, o] { return dicom::read_header(f, o); });
    if (result.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
      std::fprintf(stderr, "FAIL: read_header(%s) still running after 20 s: it hangs\n",
                   f.path.c_str());
      std::_Exit(1);
    }
    return result.get();
  }

  static void expect_changed(const ReadOutcome& r, const std::string& what) {
    const auto* rej = std::get_if<Reject>(&r);
    ASSERT_NE(rej, nullptr) << what << ": read as an instance";
    EXPECT_EQ(rej->kind, RejectKind::kUnreadable) << what;
    EXPECT_EQ(rej->reason.rfind("changed while reading", 0), 0u) << what << ": " << rej->reason;
  }
};

}  // namespace

TEST_F(ChangedFile, ControlTheFileReadsWhenItsSizeIsAsWalked) {
  const std::string bytes = part10("1.2.840.10008.1.2.1", dataset());
  const std::string path = write("same.dcm", bytes);
  for (const bool dcmtk : {false, true}) {
    const ReadOutcome r = read_bounded({path, bytes.size(), 0}, dcmtk);
    ASSERT_TRUE(std::holds_alternative<Instance>(r)) << std::get<Reject>(r).reason;
    EXPECT_EQ(std::get<Instance>(r).patient_name, "Shrinking^File");
  }
}

// The walk saw the whole file; it was cut before the read, at every kind of place.
TEST_F(ChangedFile, TruncatedAfterTheWalkIsRejectedNotSpunOn) {
  const std::string bytes = part10("1.2.840.10008.1.2.1", dataset());
  for (const std::size_t cut :
       {std::size_t{0}, std::size_t{100}, std::size_t{131}, std::size_t{200}, std::size_t{300},
        bytes.size() / 2, bytes.size() - 1}) {
    const std::string path = write("cut-" + std::to_string(cut) + ".dcm", bytes.substr(0, cut));
    for (const bool dcmtk : {false, true})
      expect_changed(read_bounded({path, bytes.size(), 0}, dcmtk),
                     "cut at " + std::to_string(cut) + (dcmtk ? " (DCMTK)" : ""));
  }
}

// The walk saw a size far beyond the first read (a header read in several steps).
TEST_F(ChangedFile, WalkedSizeBeyondTheFirstReadIsRejected) {
  const std::string bytes = part10("1.2.840.10008.1.2.1", dataset());
  const std::string path = write("short.dcm", bytes);
  expect_changed(read_bounded({path, bytes.size() + (1 << 20), 0}), "1 MB shorter than walked");
}

// Deflated: the compressed stream ends before the size the walk saw.
TEST_F(ChangedFile, DeflatedFileTruncatedAfterTheWalkIsRejected) {
  const std::string bytes = part10("1.2.840.10008.1.2.1.99", deflate_raw(dataset()));
  const std::string whole = write("deflated.dcm", bytes);
  const ReadOutcome ok = read_bounded({whole, bytes.size(), 0});
  ASSERT_TRUE(std::holds_alternative<Instance>(ok)) << std::get<Reject>(ok).reason;
  EXPECT_EQ(std::get<Instance>(ok).parser, HeaderParser::kFast);
  EXPECT_EQ(std::get<Instance>(ok).patient_name, "Shrinking^File");
  const std::string path = write("deflated-cut.dcm", bytes.substr(0, bytes.size() - 20));
  expect_changed(read_bounded({path, bytes.size(), 0}), "deflated, cut");
}

// The file grew after the walk (rewritten longer): what DCMTK read is not what the walk saw.
TEST_F(ChangedFile, GrownAfterTheWalkIsRejected) {
  const std::string bytes = part10("1.2.840.10008.1.2.1", dataset());
  const std::string path = write("grown.dcm", bytes);
  expect_changed(read_bounded({path, bytes.size() - 500, 0}), "grew by 500 bytes");
}

// A path that became a FIFO after the walk: opening it must not block.
TEST_F(ChangedFile, ReplacedByAFifoIsRejectedWithoutBlocking) {
  const std::string path = (dir_ / "fifo.dcm").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  expect_changed(read_bounded({path, 5000, 0}), "FIFO");
}

// Bounded header reading (issue 13 item 3): a deflated file whose meta header the fast parser does
// not read (elements out of order) is refused, not handed to DCMTK's unbounded inflation.
using BoundedHeader = ChangedFile;
TEST_F(BoundedHeader, DeflatedFileWithAnUnreadMetaHeaderIsRefused) {
  std::string meta = element(2, 1, "OB", std::string("\0\1", 2)) +
                     element(2, 0x10, "UI", "1.2.840.10008.1.2.1.99") +  // before (0002,0002)
                     element(2, 2, "UI", "1.2.840.10008.5.1.4.1.1.7") +
                     element(2, 3, "UI", "2.25.5");
  std::string len(4, '\0');
  for (int i = 0; i < 4; ++i) len[i] = static_cast<char>((meta.size() >> (8 * i)) & 0xFF);
  const std::string bytes =
      std::string(128, '\0') + "DICM" + element(2, 0, "UL", len) + meta + deflate_raw(dataset());
  const std::string path = write("unsorted-meta.dcm", bytes);
  const ReadOutcome r = read_bounded({path, bytes.size(), 0});
  const auto* rej = std::get_if<Reject>(&r);
  ASSERT_NE(rej, nullptr) << "read as an instance";
  EXPECT_EQ(rej->kind, RejectKind::kCorrupt);
  EXPECT_NE(rej->reason.find("deflated data set after a meta header"), std::string::npos)
      << rej->reason;
}

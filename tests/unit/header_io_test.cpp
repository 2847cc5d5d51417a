// Header-only reading (issue 15 item 1): a file's header is read and its pixel data is not, on the
// fast path and on DCMTK's. Measured as the file's pages in the page cache after a read that starts
// with none (mincore): read-ahead would bring in tens of KB past the header. Also: headers longer
// than the first read, and files that end inside their header.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dicometl/dicom/header_reader.hpp"
#include "file_fixture.hpp"
#include "part10_bytes.hpp"

using namespace dicometl;
using namespace dicometl::test;

namespace {

constexpr std::size_t kPixelBytes = 4u << 20;

// A CT-like header of `pad` extra bytes, then 4 MB of pixel data (OW).
std::string file_bytes(const std::string& ts, std::size_t pad) {
  std::string ds = element(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.2") +
                   element(8, 0x18, "UI", "2.25.15") + element(8, 0x60, "CS", "CT");
  ds += element(0x20, 0xD, "UI", "2.25.16") + element(0x20, 0xE, "UI", "2.25.17");
  if (pad) ds += element(0x20, 0x4000, "LT", std::string(pad, 'c'));  // Image Comments
  ds += element(0x7FE0, 0x10, "OB", std::string(kPixelBytes, '\x5A'));
  return part10(ts, ds);
}

// The same dataset in explicit VR big endian, which only DCMTK reads.
std::string big_endian_bytes() {
  auto be = [](std::uint16_t g, std::uint16_t e, const char* vr, std::string v, bool long_len) {
    if (v.size() % 2) v += vr[0] == 'U' && vr[1] == 'I' ? '\0' : ' ';
    std::string out{char(g >> 8), char(g), char(e >> 8), char(e)};
    out += vr;
    const auto n = static_cast<std::uint32_t>(v.size());
    if (long_len) {
      out += std::string{0, 0, char(n >> 24), char(n >> 16), char(n >> 8), char(n)};
    } else {
      out += std::string{char(n >> 8), char(n)};
    }
    return out + v;
  };
  std::string ds = be(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.2", false) +
                   be(8, 0x18, "UI", "2.25.18", false) + be(0x20, 0xD, "UI", "2.25.19", false) +
                   be(0x20, 0xE, "UI", "2.25.20", false) +
                   be(0x7FE0, 0x10, "OB", std::string(kPixelBytes, '\x5A'), true);
  return part10("1.2.840.10008.1.2.2", ds);
}

class HeaderIo : public FileTest {
 protected:
  // Drops the file's pages from the page cache (it is written and synced: clean pages go).
  static bool evict(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return false;
    ::fdatasync(fd);
    const bool ok = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
    ::close(fd);
    return ok && resident_bytes(path) == 0;
  }
  // Bytes of the file in the page cache.
  static std::size_t resident_bytes(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    const auto size = static_cast<std::size_t>(std::filesystem::file_size(path));
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) return size;
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> in((size + page - 1) / page);
    ::mincore(map, size, in.data());
    ::munmap(map, size);
    std::size_t n = 0;
    for (unsigned char c : in) n += (c & 1) ? page : 0;
    return n;
  }

  // Reads `path` with a cold page cache; returns the bytes it brought into the cache.
  std::size_t cold_read_bytes(const std::string& path, bool force_dcmtk, HeaderParser parser) {
    const FileStat f{path, std::filesystem::file_size(path), 0};
    dicom::ReadOptions o;
    o.force_dcmtk = force_dcmtk;
    // A warm-up read: the first read follows the recent headers' size (this one).
    (void)dicom::read_header(f, o);
    if (!evict(path)) return 0;
    const ReadOutcome r = dicom::read_header(f, o);
    const auto* inst = std::get_if<Instance>(&r);
    if (inst) {
      EXPECT_EQ(inst->parser, parser);
    } else {
      ADD_FAILURE() << std::get<Reject>(r).reason;
    }
    return resident_bytes(path);
  }
};

}  // namespace

// A few KB of header, 4 MB of pixel data: at most 16 KB of the file is read, by either parser (the
// kernel's default read-ahead alone brings in 64 KB or more).
TEST_F(HeaderIo, ColdReadFetchesTheHeaderNotThePixelData) {
  const std::string le = write("le.dcm", file_bytes("1.2.840.10008.1.2.1", 3000));
  const std::string be = write("be.dcm", big_endian_bytes());
  if (!evict(le)) GTEST_SKIP() << "this file system keeps the file in the page cache";
  for (const auto& [path, dcmtk, parser, what] :
       {std::tuple{le, false, HeaderParser::kFast, "fast parser"},
        std::tuple{le, true, HeaderParser::kDcmtk, "DCMTK (forced)"},
        std::tuple{be, false, HeaderParser::kDcmtk, "DCMTK (big endian)"}}) {
    const std::size_t bytes = cold_read_bytes(path, dcmtk, parser);
    EXPECT_GT(bytes, 0u) << what;
    EXPECT_LE(bytes, 16u * 1024) << what << ": " << bytes << " bytes of the file were read";
  }
}

// Headers that end just before, at and after the first read's size, and far past it: the same
// elements as the full file holds, read by the fast parser.
TEST_F(HeaderIo, HeadersLongerThanTheFirstReadParseWhole) {
  const std::string small = write("small.dcm", file_bytes("1.2.840.10008.1.2.1", 10));
  (void)dicom::read_header({small, std::filesystem::file_size(small), 0});  // first read: 4 KiB
  for (const std::size_t pad : {3700u, 3800u, 3900u, 4000u, 4100u, 8000u, 8200u, 60000u}) {
    const std::string path =
        write("pad" + std::to_string(pad) + ".dcm", file_bytes("1.2.840.10008.1.2.1", pad));
    const ReadOutcome r = dicom::read_header({path, std::filesystem::file_size(path), 0});
    const auto* inst = std::get_if<Instance>(&r);
    ASSERT_NE(inst, nullptr) << pad << ": " << std::get<Reject>(r).reason;
    EXPECT_EQ(inst->parser, HeaderParser::kFast) << pad;
    EXPECT_EQ(inst->series_instance_uid, "2.25.17") << pad;
    const Element* comments = inst->dataset.find(make_tag(0x20, 0x4000));
    ASSERT_NE(comments, nullptr) << pad;
    EXPECT_EQ(comments->first().size(), pad + (pad % 2)) << pad;
  }
}

// A file stored cut inside its header (its size is what the walk saw): a corrupt-file reject from
// either parser, whatever the first read's size.
TEST_F(HeaderIo, FileEndingInsideItsHeaderIsCorrupt) {
  const std::string whole = file_bytes("1.2.840.10008.1.2.1", 20000);
  for (const std::size_t cut : {150u, 4000u, 8192u, 12000u, 20100u}) {
    const std::string path = write("cut" + std::to_string(cut) + ".dcm", whole.substr(0, cut));
    for (const bool dcmtk : {false, true}) {
      dicom::ReadOptions o;
      o.force_dcmtk = dcmtk;
      const ReadOutcome r = dicom::read_header({path, cut, 0}, o);
      const auto* rej = std::get_if<Reject>(&r);
      ASSERT_NE(rej, nullptr) << cut;
      EXPECT_EQ(rej->kind, RejectKind::kCorrupt)
          << cut << (dcmtk ? " DCMTK" : "") << ": " << rej->reason;
    }
  }
}

// Names of the transfer syntaxes an archive commonly holds (PS3.6 Table A-1).
#include <string_view>

#include "dicometl/report/report.hpp"

namespace dicometl::report {

namespace {
struct Named {
  std::string_view uid, name;
};
constexpr Named kNames[] = {
    {"1.2.840.10008.1.2", "Implicit VR Little Endian"},
    {"1.2.840.10008.1.2.1", "Explicit VR Little Endian"},
    {"1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"},
    {"1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)"},
    {"1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"},
    {"1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"},
    {"1.2.840.10008.1.2.4.57", "JPEG Lossless (Process 14)"},
    {"1.2.840.10008.1.2.4.70", "JPEG Lossless SV1"},
    {"1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"},
    {"1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"},
    {"1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless"},
    {"1.2.840.10008.1.2.4.91", "JPEG 2000"},
    {"1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Lossless"},
    {"1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2"},
    {"1.2.840.10008.1.2.4.94", "JPIP Referenced"},
    {"1.2.840.10008.1.2.4.100", "MPEG2 Main Profile"},
    {"1.2.840.10008.1.2.4.101", "MPEG2 High Profile"},
    {"1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile"},
    {"1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible"},
    {"1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 2D"},
    {"1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 3D"},
    {"1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo"},
    {"1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile"},
    {"1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile"},
    {"1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Lossless"},
    {"1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 RPCL Lossless"},
    {"1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"},
    {"1.2.840.10008.1.2.5", "RLE Lossless"},
    {"1.2.840.10008.1.2.6.1", "RFC 2557 MIME Encapsulation (retired)"},
    {"1.2.840.10008.1.2.8.1", "JPEG XL Lossless"},
    {"1.2.840.10008.1.2.8.2", "JPEG XL JPEG Recompression"},
    {"1.2.840.10008.1.2.8.3", "JPEG XL"},
    {"1.2.840.113619.5.2", "GE Private Implicit VR Big Endian"},
};
}  // namespace

std::string transfer_syntax_name(const std::string& uid) {
  for (const auto& n : kNames)
    if (n.uid == uid) return std::string(n.name);
  return {};
}

}  // namespace dicometl::report

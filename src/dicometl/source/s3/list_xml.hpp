#pragma once
// S3's XML answers: ListObjectsV2 pages and <Error> bodies, read with expat (Debian's libexpat):
// attributes, namespaces, comments, CDATA and character references all parse as XML says.
#include <cstdint>
#include <string>
#include <vector>

namespace dicometl::source::s3 {

struct ObjectEntry {
  std::string key;          //!< decoded (entities, and %XX when the page says EncodingType=url)
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  //!< LastModified
  std::string etag;         //!< as S3 sends it, quotes included
};

struct ListPage {
  std::vector<ObjectEntry> objects;
  std::vector<std::string> prefixes;  //!< CommonPrefixes (listings with a delimiter), decoded
  bool truncated = false;
  std::string next_token;  //!< NextContinuationToken when truncated
};

//! The "mtime" an object gets in the catalog: LastModified (millisecond precision at most) plus a
//! hash of its ETag in the sub-millisecond nanoseconds. The catalog skips a file whose path, size
//! and mtime are unchanged; this way an object rewritten within the same millisecond with the
//! same size but other bytes (another ETag) is read again.
std::int64_t change_key_ns(std::int64_t last_modified_ns, const std::string& etag);

//! Parses one ListObjectsV2 answer; false with `error` when it is not one (or not well-formed).
bool parse_list_page(const std::string& xml, ListPage& page, std::string& error);

//! "Code: Message" from an S3 <Error> body, or "" when the body is not one.
std::string parse_error_body(const std::string& xml);

//! "2013-09-17T18:07:53.000Z" → ns since the epoch; false when malformed.
bool parse_iso8601(const std::string& text, std::int64_t& ns);

}  // namespace dicometl::source::s3

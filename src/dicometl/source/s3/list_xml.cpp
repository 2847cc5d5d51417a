#include "dicometl/source/s3/list_xml.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "dicometl/source/s3/s3_url.hpp"

namespace dicometl::source::s3 {

namespace {

// The raw text of the first <name>…</name> in [from, to); npos-safe. Self-closing <name/> is "".
bool element(const std::string& xml, const std::string& name, std::size_t from, std::size_t to,
             std::string& out) {
  const std::string open = "<" + name + ">", empty = "<" + name + "/>", close = "</" + name + ">";
  const auto e = xml.find(empty, from);
  auto b = xml.find(open, from);
  if (e != std::string::npos && e < to && (b == std::string::npos || e < b)) {
    out.clear();
    return true;
  }
  if (b == std::string::npos || b >= to) return false;
  b += open.size();
  const auto c = xml.find(close, b);
  if (c == std::string::npos || c > to) return false;
  out = xml.substr(b, c - b);
  return true;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string decode_entities(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const auto semi = text.find(';', i);
    if (semi == std::string::npos || semi - i > 12) {
      out += text[i];
      continue;
    }
    const std::string name = text.substr(i + 1, semi - i - 1);
    if (name == "amp") out += '&';
    else if (name == "lt") out += '<';
    else if (name == "gt") out += '>';
    else if (name == "quot") out += '"';
    else if (name == "apos") out += '\'';
    else if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      char* end = nullptr;
      const char* digits = name.c_str() + (hex ? 2 : 1);
      const unsigned long cp = std::strtoul(digits, &end, hex ? 16 : 10);
      if (*digits == '\0' || *end != '\0' || cp > 0x10FFFF) {
        out += text[i];
        continue;
      }
      append_utf8(out, cp);
    } else {
      out += text[i];
      continue;
    }
    i = semi;
  }
  return out;
}

bool parse_iso8601(const std::string& text, std::int64_t& ns) {
  int y, mo, d, h, mi;
  double s;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf", &y, &mo, &d, &h, &mi, &s) != 6)
    return false;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = 0;
  const std::time_t t = timegm(&tm);
  // Milliseconds at most: keep them exact (a double of seconds would round 0.1 s).
  const auto ms = static_cast<std::int64_t>(s * 1000.0 + 0.5);
  ns = static_cast<std::int64_t>(t) * 1000000000LL + ms * 1000000LL;
  return true;
}

std::int64_t change_key_ns(std::int64_t last_modified_ns, const std::string& etag) {
  if (etag.empty()) return last_modified_ns;
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across runs and machines
  for (unsigned char c : etag) h = (h ^ c) * 1099511628211ULL;
  const std::int64_t ms = last_modified_ns - last_modified_ns % 1000000;
  return ms + static_cast<std::int64_t>(h % 1000000);
}

bool parse_list_page(const std::string& xml, ListPage& page, std::string& error) {
  page = ListPage{};
  if (xml.find("<ListBucketResult") == std::string::npos) {
    error = "not a ListObjectsV2 answer";
    return false;
  }
  std::string text;
  const bool url_encoded = element(xml, "EncodingType", 0, xml.size(), text) && text == "url";
  // Top-level fields live outside <Contents>; IsTruncated comes before the first one in S3's
  // answers, but look everywhere outside Contents to be safe.
  std::size_t pos = 0;
  std::string outside;
  while (true) {
    const auto b = xml.find("<Contents>", pos);
    outside += xml.substr(pos, b == std::string::npos ? std::string::npos : b - pos);
    if (b == std::string::npos) break;
    const auto e = xml.find("</Contents>", b);
    if (e == std::string::npos) {
      error = "truncated ListObjectsV2 answer";
      return false;
    }
    ObjectEntry obj;
    if (!element(xml, "Key", b, e, text)) {
      error = "an object without a key in the listing";
      return false;
    }
    obj.key = decode_entities(text);
    if (url_encoded) obj.key = url_decode_plus(obj.key);
    if (element(xml, "Size", b, e, text)) obj.size = std::strtoull(text.c_str(), nullptr, 10);
    if (element(xml, "LastModified", b, e, text) && !parse_iso8601(text, obj.mtime_ns)) {
      error = "bad LastModified in the listing";
      return false;
    }
    if (element(xml, "ETag", b, e, text)) obj.etag = decode_entities(text);
    page.objects.push_back(std::move(obj));
    pos = e + 11;
  }
  // <CommonPrefixes><Prefix>a/b/</Prefix></CommonPrefixes>, one block per prefix.
  for (std::size_t at = outside.find("<CommonPrefixes>"); at != std::string::npos;
       at = outside.find("<CommonPrefixes>", at + 1)) {
    const auto end = outside.find("</CommonPrefixes>", at);
    if (end == std::string::npos || !element(outside, "Prefix", at, end, text)) {
      error = "a malformed CommonPrefixes entry in the listing";
      return false;
    }
    std::string prefix = decode_entities(text);
    if (url_encoded) prefix = url_decode_plus(prefix);
    page.prefixes.push_back(std::move(prefix));
  }
  page.truncated = element(outside, "IsTruncated", 0, outside.size(), text) && text == "true";
  if (page.truncated) {
    if (!element(outside, "NextContinuationToken", 0, outside.size(), text) || text.empty()) {
      error = "a truncated listing without a continuation token";
      return false;
    }
    page.next_token = decode_entities(text);
  }
  return true;
}

std::string parse_error_body(const std::string& xml) {
  std::string code, message;
  if (!element(xml, "Code", 0, xml.size(), code)) return "";
  element(xml, "Message", 0, xml.size(), message);
  code = decode_entities(code);
  message = decode_entities(message);
  return message.empty() ? code : code + ": " + message;
}

}  // namespace dicometl::source::s3

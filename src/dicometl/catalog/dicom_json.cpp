#include "dicometl/catalog/dicom_json.hpp"

#include <openssl/evp.h>

#include <array>

#include "dicometl/catalog/bulk_data_uri.hpp"
#include "dicometl/model/utf8.hpp"

namespace dicometl {

namespace {

// VRs whose values the model writes as JSON numbers.
bool numeric_vr(std::string_view vr) {
  return vr == "DS" || vr == "IS" || vr == "FL" || vr == "FD" || vr == "SL" || vr == "SS" ||
         vr == "UL" || vr == "US" || vr == "SV" || vr == "UV";
}

// DS/IS are text in the file; only a strict JSON number may be written unquoted.
bool is_json_number(std::string_view s) {
  std::size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || s[i] < '0' || s[i] > '9') return false;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || s[i] < '0' || s[i] > '9') return false;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
  }
  return i == n;
}

// OpenSSL's encoder (RFC 4648 alphabet, padded, no line breaks), not one of our own.
void append_base64(std::string_view bytes, std::string& out) {
  if (bytes.empty()) return;
  const std::size_t at = out.size();
  out.resize(at + 4 * ((bytes.size() + 2) / 3) + 1);  // + the NUL EVP_EncodeBlock writes
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + at),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(at + static_cast<std::size_t>(n));
}

void append_element(const Element& e, std::string& out, std::string_view file_path) {
  // `"GGGGEEEE":{"vr":"XX"` in one append: per-character appends were a top entry of the
  // ingest profile (~300 elements per scanner header).
  char head[] = "\"GGGGEEEE\":{\"vr\":\"XX\"";
  write_tag_hex(e.tag, head + 1);
  head[sizeof head - 4] = e.vr[0];
  head[sizeof head - 3] = e.vr[1];
  out.append(head, sizeof head - 1);
  const std::string_view vr = e.vr_view();
  if (e.is_sequence()) {
    if (!e.items.empty()) {
      out += ",\"Value\":[";
      for (std::size_t i = 0; i < e.items.size(); ++i) {
        if (i) out += ',';
        append_dicom_json(e.items[i], out, file_path);
      }
      out += ']';
    }
  } else if (!e.binary.empty()) {
    out += ",\"InlineBinary\":\"";
    append_base64(e.binary, out);
    out += '"';
  } else if (!e.values.empty()) {
    out += ",\"Value\":[";
    const bool numeric = numeric_vr(vr);
    for (std::size_t i = 0; i < e.values.size(); ++i) {
      if (i) out += ',';
      const std::string_view v = e.values[i];
      if (v.empty()) {
        out += "null";
      } else if (vr == "PN") {
        append_person_name(v, out);
      } else if (numeric && is_json_number(v)) {
        out += v;
      } else {
        append_json_string(v, out);
      }
    }
    out += ']';
  } else if (e.bulk) {
    const std::string uri = bulk_data_uri(file_path, e.offset, e.length);
    if (!uri.empty()) {  // (ASCII only, nothing to escape)
      out += ",\"BulkDataURI\":\"";
      out += uri;
      out += '"';
    }
  }
  out += '}';
}

}  // namespace

void append_json_string(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      // A run of characters that need no escaping goes in with one append (most values are
      // all of it): appending them one by one was a top entry of the ingest profile.
      std::size_t j = i + 1;
      while (j < s.size()) {
        const auto d = static_cast<unsigned char>(s[j]);
        if (d < 0x20 || d >= 0x80 || d == '"' || d == '\\') break;
        ++j;
      }
      out.append(s.data() + i, j - i);
      i = j;
      continue;
    }
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
      }
      ++i;
      continue;
    }
    std::size_t len = utf8_sequence_length(s, i);
    if (len == 0) {
      out += kReplacementUtf8;  // JSON must be valid UTF-8 whatever the file held
      i += utf8_invalid_length(s, i);
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  out += '"';
}

void append_dicom_json(const Dataset& ds, std::string& out, std::string_view file_path) {
  out += '{';
  bool first = true;
  for (const Element& e : ds.elements) {
    if (!first) out += ',';
    first = false;
    append_element(e, out, file_path);
  }
  out += '}';
}

std::string to_dicom_json(const Dataset& ds, std::string_view file_path) {
  std::string out;
  out.reserve(4096);
  append_dicom_json(ds, out, file_path);
  return out;
}

void append_person_name(std::string_view pn, std::string& out) {
  static constexpr std::array<const char*, 3> kGroups = {"Alphabetic", "Ideographic", "Phonetic"};
  out += '{';
  std::size_t start = 0;
  bool first = true;
  for (std::size_t g = 0; g < kGroups.size() && start <= pn.size(); ++g) {
    std::size_t end = pn.find('=', start);
    std::string_view part = pn.substr(start, end == pn.npos ? pn.npos : end - start);
    if (!part.empty()) {
      if (!first) out += ',';
      first = false;
      out += '"';
      out += kGroups[g];
      out += "\":";
      append_json_string(part, out);
    }
    if (end == pn.npos) break;
    start = end + 1;
  }
  out += '}';
}

}  // namespace dicometl

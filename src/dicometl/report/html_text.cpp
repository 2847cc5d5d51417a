#include "dicometl/report/html_text.hpp"

#include <fmt/core.h>

#include "dicometl/model/utf8.hpp"

namespace dicometl::report {

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);  // strict: overlongs, surrogates are bad
    if (n == 0) {
      out += kReplacementUtf8;
      i += utf8_invalid_length(s, i);
      continue;
    }
    if (n == 1) {
      const char c = s[i];
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
          if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            out += "\xEF\xBF\xBD";
          else
            out += c;
      }
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::size_t text_width_chars(std::string_view s) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++chars) i += utf8_char_length(s, i);
  return chars;
}

std::string shorten(std::string_view s, std::size_t max_chars) {
  if (text_width_chars(s) <= max_chars) return std::string(s);
  std::size_t i = 0;
  for (std::size_t chars = 0; i < s.size() && chars + 1 < max_chars; ++chars)
    i += utf8_char_length(s, i);
  return std::string(s.substr(0, i)) + "…";
}

std::string thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string human_bytes(std::int64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 5) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} bytes", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "–";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string or_none(const std::string& s) { return s.empty() ? std::string("(none)") : s; }

std::string render_table(const HtmlTable& t, std::string_view label) {
  auto cls = [&](std::size_t c) {
    return c < t.numeric.size() && t.numeric[c] ? std::string(" class=\"num\"") : std::string();
  };
  auto cell = [&](const std::string& v) { return t.html_cells ? v : esc(v); };
  std::string out = fmt::format(
      "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">"
      "<table><thead><tr>", esc(label));
  for (std::size_t c = 0; c < t.head.size(); ++c)
    out += fmt::format("<th scope=\"col\"{}>{}</th>", cls(c), esc(t.head[c]));
  out += "</tr></thead><tbody>";
  auto rows = [&](const std::vector<std::vector<std::string>>& rs) {
    for (const auto& r : rs) {
      out += "<tr>";
      for (std::size_t c = 0; c < r.size(); ++c)
        out += c == 0 ? fmt::format("<th scope=\"row\"{}>{}</th>", cls(c), cell(r[c]))
                      : fmt::format("<td{}>{}</td>", cls(c), cell(r[c]));
      out += "</tr>";
    }
  };
  rows(t.rows);
  out += "</tbody>";
  if (!t.foot.empty()) {
    out += "<tfoot>";
    rows(t.foot);
    out += "</tfoot>";
  }
  out += "</table></div>";
  return out;
}

}  // namespace dicometl::report

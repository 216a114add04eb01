package io.github.mqtt2tdengine.tdengine.testing;

import java.util.ArrayList;
import java.util.List;

/** A small tokenizer for the SQL the sink sends: backquoted names, quoted strings with backslash escapes, numbers. */
final class SqlTokens {
    enum Type { WORD, NAME, STRING, NUMBER, PUNCT }

    /** A token; {@code start} is its offset in the statement (where TDengine's "syntax error near" text begins). */
    record Token(Type type, String text, int start) {
        boolean is(String word) {
            return (type == Type.WORD || type == Type.PUNCT) && text.equalsIgnoreCase(word);
        }
    }

    private final String sql;
    private final List<Token> tokens;
    private int pos;

    SqlTokens(String sql) {
        this.sql = sql;
        this.tokens = tokenize(sql);
    }

    /** The statement. */
    String sql() {
        return sql;
    }

    static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int begin = i;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '`') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new SqlError(0x2600, "syntax error: unterminated backquoted name");
                    }
                    char d = sql.charAt(i++);
                    if (d == '`') {
                        if (i < n && sql.charAt(i) == '`') {
                            sb.append('`');
                            i++;
                            continue;
                        }
                        break;
                    }
                    sb.append(d);
                }
                out.add(new Token(Type.NAME, sb.toString(), begin));
            } else if (c == '\'' || c == '"') {
                StringBuilder sb = new StringBuilder();
                char quote = c;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new SqlError(0x2600, "syntax error: unterminated string");
                    }
                    char d = sql.charAt(i++);
                    if (d == '\\' && i < n) {
                        char e = sql.charAt(i++);
                        sb.append(e == '\\' || e == '\'' || e == '"' ? String.valueOf(e) : "\\" + e);
                        continue;
                    }
                    if (d == quote) {
                        break;
                    }
                    sb.append(d);
                }
                out.add(new Token(Type.STRING, sb.toString(), begin));
            } else if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < n
                    && (Character.isDigit(sql.charAt(i + 1)) || sql.charAt(i + 1) == '.'))) {
                int start = i++;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.'
                        || ((sql.charAt(i) == '-' || sql.charAt(i) == '+')
                        && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')))) {
                    i++;
                }
                out.add(new Token(Type.NUMBER, sql.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Type.WORD, sql.substring(start, i), start));
            } else {
                out.add(new Token(Type.PUNCT, String.valueOf(c), i));
                i++;
            }
        }
        return out;
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    Token peek() {
        return atEnd() ? new Token(Type.PUNCT, "<end>", -1) : tokens.get(pos);
    }

    Token next() {
        if (atEnd()) {
            throw new SqlError(0x2600, "syntax error: unexpected end of statement");
        }
        return tokens.get(pos++);
    }

    boolean accept(String word) {
        if (!atEnd() && tokens.get(pos).is(word)) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(String word) {
        Token t = next();
        if (!t.is(word)) {
            throw new SqlError(0x2600, "syntax error near '" + t.text() + "' (expected " + word + ")");
        }
    }

    /** A name: backquoted, or a bare word (lower-cased, as TDengine does). */
    String name() {
        Token t = next();
        if (t.type() == Type.NAME) {
            return t.text();
        }
        if (t.type() == Type.WORD) {
            return t.text().toLowerCase(java.util.Locale.ROOT);
        }
        throw new SqlError(0x2600, "syntax error near '" + t.text() + "' (expected a name)");
    }

    /** {@code db.table} or {@code table} with a default database. */
    String[] qualifiedName(String defaultDb) {
        String first = name();
        if (accept(".")) {
            return new String[] {first, name()};
        }
        return new String[] {defaultDb, first};
    }
}

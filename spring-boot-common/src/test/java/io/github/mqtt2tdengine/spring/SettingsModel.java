package io.github.mqtt2tdengine.spring;

import io.github.mqtt2tdengine.settings.Mqtt2TdengineSettings;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings model as the tests of the three doors see it: every key of the config file, read from the settings
 * records, with its description, read from the records' Javadoc ({@code @param}) in the settings module's sources.
 */
final class SettingsModel {
    /** The settings module's sources, from this module's directory. */
    static final Path SOURCES = Path.of("..", "settings", "src", "main", "java", "io", "github", "mqtt2tdengine",
            "settings");
    private static final Pattern PARAM = Pattern.compile("@param\\s+(\\w+)\\s+(.*?)(?=@param|@since|$)");

    /** One key: its path ({@code parser.fields[].path}), its record component and the record it belongs to. */
    record Key(String path, RecordComponent component, Class<?> owner, String description) {
        boolean inList() {
            return path.contains("[]");
        }

        Class<?> elementType() {
            return SettingsModel.elementType(component);
        }

        boolean isSection() {
            return component.getType().isRecord();
        }
    }

    private SettingsModel() {
    }

    /** Every key, in record order; route parsers are not expanded (their keys are those of {@code parser}). */
    static List<Key> keys() throws IOException {
        List<Key> keys = new ArrayList<>();
        collect(Mqtt2TdengineSettings.class, "", keys);
        return keys;
    }

    private static void collect(Class<?> type, String prefix, List<Key> out) throws IOException {
        Map<String, String> docs = descriptions(type);
        for (RecordComponent c : type.getRecordComponents()) {
            String path = prefix + c.getName();
            out.add(new Key(path, c, type, docs.get(c.getName())));
            if (path.equals("routes[].parser")) {
                continue;
            }
            if (c.getType().isRecord()) {
                collect(c.getType(), path + ".", out);
            } else if (elementType(c) != null) {
                collect(elementType(c), path + "[].", out);
            }
        }
    }

    static Class<?> elementType(RecordComponent c) {
        if (c.getGenericType() instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> e
                && e.isRecord()) {
            return e;
        }
        return null;
    }

    /** The {@code @param} descriptions of a record's Javadoc, as plain text. */
    static Map<String, String> descriptions(Class<?> record) throws IOException {
        String source = Files.readString(SOURCES.resolve(record.getSimpleName() + ".java"));
        int end = source.indexOf("public record " + record.getSimpleName());
        int start = source.lastIndexOf("/**", end);
        String doc = source.substring(start + 3, source.lastIndexOf("*/", end)).replaceAll("(?m)^\\s*\\*", " ")
                .replaceAll("\\s+", " ");
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(doc);
        while (m.find()) {
            out.put(m.group(1), plain(m.group(2)));
        }
        return out;
    }

    private static String plain(String javadoc) {
        String s = javadoc.replaceAll("\\{@(?:code|link|literal) ([^}]*)}", "$1").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&").trim();
        s = s.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + s.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }

    /** A path in Spring's kebab case: {@code mqtt.keepAliveSeconds} to {@code mqtt.keep-alive-seconds}. */
    static String kebab(String path) {
        return path.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}

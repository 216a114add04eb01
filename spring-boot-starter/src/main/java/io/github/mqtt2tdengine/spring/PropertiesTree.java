package io.github.mqtt2tdengine.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * The {@code mqtt2tdengine.*} properties as the tree of maps, lists and text that
 * {@code PipelineConfig.fromTree} reads: from every property source of the environment (files, YAML, environment
 * variables, command line), each name taking its highest-precedence value with placeholders resolved. Indexed names
 * ({@code fields[0].path}, {@code MQTT2TDENGINE_PARSER_FIELDS_0_PATH}) become lists. Not API.
 */
final class PropertiesTree {
    private PropertiesTree() {
    }

    /**
     * Builds the tree under a prefix, leaving out the starter's own keys.
     *
     * @param environment the environment
     * @param prefix the prefix, {@code mqtt2tdengine}
     * @param ownKeys keys right under the prefix that belong to the starter (its switches), not to the config
     * @return the tree, empty when no property is set
     */
    static Map<String, Object> of(Environment environment, String prefix, Set<String> ownKeys) {
        ConfigurationPropertyName root = ConfigurationPropertyName.of(prefix);
        Set<ConfigurationPropertyName> names = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(root::isAncestorOf).forEach(names::add);
            }
        }
        Binder binder = Binder.get(environment);
        Map<String, Object> tree = new LinkedHashMap<>();
        int skip = root.getNumberOfElements();
        for (ConfigurationPropertyName name : names) {
            if (ownKeys.contains(name.getElement(skip, ConfigurationPropertyName.Form.UNIFORM))) {
                continue;
            }
            String value = binder.bind(name, Bindable.of(String.class)).orElse(null);
            if (value != null) {
                put(tree, name, skip, value);
            }
        }
        return tree;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, ConfigurationPropertyName name, int from, String value) {
        Object node = tree;
        int last = name.getNumberOfElements() - 1;
        for (int i = from; i <= last; i++) {
            boolean index = name.isNumericIndex(i);
            String key = name.getElement(i, index ? ConfigurationPropertyName.Form.UNIFORM
                    : ConfigurationPropertyName.Form.ORIGINAL);
            Object child = i == last ? value
                    : name.isNumericIndex(i + 1) ? new ArrayList<>() : new LinkedHashMap<String, Object>();
            boolean wantList = !(node instanceof Map);
            if (node == null || (wantList != index) || !(node instanceof Map || node instanceof List)) {
                throw new IllegalStateException("property " + name + " does not fit beside the others: "
                        + name.chop(i) + " is set both as a value and as a section (or as a list and a section)");
            }
            if (node instanceof Map) {
                Map<String, Object> map = (Map<String, Object>) node;
                node = i == last ? map.put(key, child) : map.computeIfAbsent(key, k -> child);
            } else {
                List<Object> list = (List<Object>) node;
                int at = Integer.parseInt(key);
                while (list.size() <= at) {
                    list.add(null);
                }
                if (i == last || list.get(at) == null) {
                    list.set(at, child);
                }
                node = list.get(at);
            }
        }
    }
}

package io.github.mqtt2tdengine.spring.internal;

import io.github.mqtt2tdengine.settings.ConfigException;
import io.github.mqtt2tdengine.settings.Mqtt2TdengineSettings;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Binds the {@code mqtt2tdengine.*} properties onto {@link Mqtt2TdengineSettings}, the records the config file binds
 * onto, with Spring Boot's {@link Binder} (the binder behind {@code @ConfigurationProperties}): relaxed names
 * ({@code keep-alive-seconds}, {@code keepAliveSeconds}, {@code MQTT2TDENGINE_MQTT_KEEPALIVESECONDS}), Spring's
 * conversions (text to numbers, enums by name ignoring case), placeholders resolved.
 *
 * <p>Two things differ from a plain {@code @ConfigurationProperties} binding, on purpose: each name takes its
 * highest-precedence value on its own, so an environment variable such as {@code MQTT2TDENGINE_PARSER_FIELDS_1_TYPE}
 * overrides one element of a list written in {@code application.yml} (Spring alone would replace the whole list);
 * and mistakes fail with the config file's message naming the key ({@code unknown key mqtt.clean-sesion},
 * {@code mqtt.keepAliveSeconds must be a whole number, but was "soon"}), never with a secret. Not API: shared by the
 * Spring Boot 3 and Spring Boot 4 starters, whose Boot versions keep this binder API alike.
 */
public final class SettingsBinder {
    /** Keys right under the prefix that are the starter's switches ({@link StarterProperties}), not settings. */
    static final Set<String> OWN_KEYS = Set.of("enabled", "lifecycle");
    /** The hint every unknown-key error ends with, as the config file's. */
    private static final String HINT = " (see docs/configuration.md, the configuration reference)";
    private static final Set<String> SECRETS = Set.of("password", "clientkey");
    /** Every key name of the settings, by its canonical form (no case, dashes, underscores). */
    private static final Map<String, String> NAMES = names();

    private SettingsBinder() {
    }

    /**
     * Binds the settings.
     *
     * @param environment the environment
     * @param prefix {@code mqtt2tdengine}
     * @return the settings
     * @throws ConfigException naming the key when a property is unknown or of the wrong type, or none is set
     */
    public static Mqtt2TdengineSettings bind(Environment environment, String prefix) {
        ConfigurationPropertyName root = ConfigurationPropertyName.of(prefix);
        Set<ConfigurationPropertyName> names = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(root::isAncestorOf).forEach(names::add);
            }
        }
        Binder resolving = Binder.get(environment);
        MapConfigurationPropertySource merged = new MapConfigurationPropertySource();
        int skip = root.getNumberOfElements();
        for (ConfigurationPropertyName name : names) {
            if (!OWN_KEYS.contains(name.getElement(skip, ConfigurationPropertyName.Form.UNIFORM))) {
                resolving.bind(name, Bindable.of(String.class)).ifBound(value -> merged.put(name, value));
            }
        }
        if (!merged.iterator().hasNext()) {
            throw new ConfigException("config is empty");
        }
        try {
            return new Binder(merged).bind(root, Bindable.of(Mqtt2TdengineSettings.class),
                    new NoUnboundElementsBindHandler(BindHandler.DEFAULT)).orElseThrow(() -> new ConfigException(
                            "config is empty"));
        } catch (BindException e) {
            throw translate(e, skip);
        }
    }

    private static ConfigException translate(BindException e, int skip) {
        if (e.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
            List<String> keys = new ArrayList<>();
            for (ConfigurationProperty p : unbound.getUnboundProperties()) {
                keys.add(key(p.getName(), skip, true));
            }
            return new ConfigException("unknown key" + (keys.size() > 1 ? "s " : " ") + String.join(", ", keys) + HINT,
                    e);
        }
        String key = key(e.getName(), skip, false);
        Class<?> type = e.getTarget().getType().resolve(Object.class);
        Object value = e.getProperty() == null ? null : e.getProperty().getValue();
        String shown = value == null ? "missing" : describe(value.toString());
        String last = e.getName().getLastElement(ConfigurationPropertyName.Form.UNIFORM);
        if (SECRETS.contains(last)) {
            shown = "a text";
        }
        if (type == Integer.class || type == int.class) {
            return new ConfigException(key + " must be a whole number, but was " + shown, e);
        }
        if (type == Boolean.class || type == boolean.class) {
            return new ConfigException(key + " must be true or false, but was " + shown, e);
        }
        if (type.isEnum()) {
            List<String> constants = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                constants.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT));
            }
            return new ConfigException(key + " must be one of " + constants + ", but was " + shown, e);
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new ConfigException(key + " cannot be bound: " + cause.getMessage(), e);
    }

    /** The name below the prefix as the config file writes it ({@code parser.fields[0].primaryKey}). */
    private static String key(ConfigurationPropertyName name, int skip, boolean asWritten) {
        StringBuilder key = new StringBuilder();
        for (int i = skip; i < name.getNumberOfElements(); i++) {
            if (name.isNumericIndex(i)) {
                key.append('[').append(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM)).append(']');
                continue;
            }
            String element = name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL);
            String known = NAMES.get(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
            key.append(key.length() == 0 ? "" : ".").append(asWritten || known == null ? element : known);
        }
        return key.toString();
    }

    private static String describe(String value) {
        String s = "\"" + value + "\"";
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static Map<String, String> names() {
        Map<String, String> names = new HashMap<>();
        collect(Mqtt2TdengineSettings.class, names);
        return Map.copyOf(names);
    }

    private static void collect(Class<?> type, Map<String, String> names) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (names.put(c.getName().toLowerCase(Locale.ROOT), c.getName()) != null) {
                continue; // seen (parser under routes)
            }
            if (c.getType().isRecord()) {
                collect(c.getType(), names);
            } else if (c.getGenericType() instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
                collect(element, names);
            }
        }
    }
}

package io.github.mqtt2tdengine.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mqtt2tdengine.SyncPipeline;
import io.github.mqtt2tdengine.deadletters.FileDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttDeadLetters;
import io.github.mqtt2tdengine.mqtt.MqttTransport;
import io.github.mqtt2tdengine.mqtt.TlsConfig;
import io.github.mqtt2tdengine.payload.Field;
import io.github.mqtt2tdengine.payload.PayloadPolicies;
import io.github.mqtt2tdengine.payload.PayloadSpec;
import io.github.mqtt2tdengine.spring.internal.StarterAssembly;
import io.github.mqtt2tdengine.tdengine.TDengineDeadLetters;
import io.github.mqtt2tdengine.tdengine.TDengineSink;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the three doors in step (STYLE.md section 11): every builder option reachable from configuration has a
 * config key (a component of the settings records), every key has a metadata entry in the starter's jar, and a row in
 * the configuration reference. A new builder option fails {@link #everyBuilderOption_hasAConfigKey_orIsJavaOnly}
 * until it gets a key (settings record, mapper) or is listed as Java-only here.
 *
 * <p>The reference is {@code docs/configuration.md}. A row documents a key when its
 * first cell names the key's full path in backquotes ({@code `mqtt.keepAliveSeconds`}, {@code
 * `parser.fields[].path`}); braces list several ({@code `parser.topic.{as,name,type}`}); keys of a route's parser
 * are those of {@code parser}.
 */
class ConfigurationReferenceTest {
    /** Builder options and the config keys that set them. */
    private static final Map<String, List<String>> OPTIONS = Map.ofEntries(
            Map.entry("SyncPipeline.Builder.name", List.of("name")),
            Map.entry("SyncPipeline.Builder.payload", List.of("parser")),
            Map.entry("SyncPipeline.Builder.route", List.of("routes", "routes[].topicFilter", "routes[].parser")),
            Map.entry("SyncPipeline.Builder.batching", List.of("pipeline.batchMaxRows", "pipeline.batchMaxAgeMillis")),
            Map.entry("SyncPipeline.Builder.batchIdle", List.of("pipeline.batchIdleMillis")),
            Map.entry("SyncPipeline.Builder.batchGrowth", List.of("pipeline.batchGrowth")),
            Map.entry("SyncPipeline.Builder.maxInFlight", List.of("pipeline.maxInFlight")),
            Map.entry("SyncPipeline.Builder.writers", List.of("pipeline.writers")),
            Map.entry("SyncPipeline.Builder.retryBackoff", List.of("pipeline.retryInitialMillis",
                    "pipeline.retryMaxMillis")),
            Map.entry("SyncPipeline.Builder.maxRetries", List.of("pipeline.maxRetries")),
            Map.entry("SyncPipeline.Builder.retryForever", List.of("pipeline.maxRetries")),
            Map.entry("SyncPipeline.Builder.shutdownTimeout", List.of("pipeline.shutdownTimeoutSeconds")),
            Map.entry("SyncPipeline.Builder.stallWarning", List.of("pipeline.stallWarningMillis")),
            Map.entry("SyncPipeline.Builder.badMessagePolicy", List.of("pipeline.badMessagePolicy")),
            Map.entry("MqttTransport.Builder.endpoint", List.of("mqtt.endpoint")),
            Map.entry("MqttTransport.Builder.protocolVersion", List.of("mqtt.protocolVersion")),
            Map.entry("MqttTransport.Builder.clientId", List.of("mqtt.clientId")),
            Map.entry("MqttTransport.Builder.keepAlive", List.of("mqtt.keepAliveSeconds")),
            Map.entry("MqttTransport.Builder.cleanSession", List.of("mqtt.cleanSession")),
            Map.entry("MqttTransport.Builder.sessionExpiry", List.of("mqtt.sessionExpirySeconds")),
            Map.entry("MqttTransport.Builder.topics", List.of("mqtt.topics")),
            Map.entry("MqttTransport.Builder.credentials", List.of("mqtt.username", "mqtt.password")),
            Map.entry("MqttTransport.Builder.tls", List.of("mqtt.tls", "mqtt.tls.enabled")),
            Map.entry("MqttTransport.Builder.webSocket", List.of("mqtt.webSocketPath")),
            Map.entry("MqttTransport.Builder.connectTimeout", List.of("mqtt.connectTimeoutSeconds")),
            Map.entry("MqttTransport.Builder.reconnectBackoff", List.of("mqtt.reconnectInitialMillis",
                    "mqtt.reconnectMaxMillis")),
            Map.entry("MqttTransport.Builder.receiveMaximum", List.of("mqtt.receiveMaximum")),
            Map.entry("MqttTransport.Builder.receiveMaximumFromPipeline", List.of("mqtt.receiveMaximum")),
            Map.entry("TlsConfig.Builder.caPem", List.of("mqtt.tls.ca")),
            Map.entry("TlsConfig.Builder.caFile", List.of("mqtt.tls.ca")),
            Map.entry("TlsConfig.Builder.clientCertPem", List.of("mqtt.tls.clientCert")),
            Map.entry("TlsConfig.Builder.clientCertFile", List.of("mqtt.tls.clientCert")),
            Map.entry("TlsConfig.Builder.clientKeyPem", List.of("mqtt.tls.clientKey")),
            Map.entry("TlsConfig.Builder.clientKeyFile", List.of("mqtt.tls.clientKey")),
            Map.entry("TlsConfig.Builder.hostnameVerification", List.of("mqtt.tls.hostnameVerification")),
            Map.entry("TDengineSink.Builder.jdbcUrl", List.of("tdengine", "tdengine.url")),
            Map.entry("TDengineSink.Builder.credentials", List.of("tdengine.user", "tdengine.password")),
            Map.entry("TDengineSink.Builder.database", List.of("tdengine.database")),
            Map.entry("TDengineSink.Builder.createDatabase", List.of("tdengine.createDatabase")),
            Map.entry("TDengineSink.Builder.schemaPolicy", List.of("tdengine.schemaPolicy")),
            Map.entry("TDengineSink.Builder.maxSqlBytes", List.of("tdengine.maxSqlBytes")),
            Map.entry("TDengineSink.Builder.knownSubTables", List.of("tdengine.knownSubTables")),
            Map.entry("TDengineSink.Builder.writeMode", List.of("tdengine.writeMode")),
            Map.entry("PayloadSpec.json", List.of("parser.format")),
            Map.entry("PayloadSpec.jsonLines", List.of("parser.format")),
            Map.entry("PayloadSpec.regex", List.of("parser.format", "parser.pattern")),
            Map.entry("PayloadSpec.csv", List.of("parser.format", "parser.delimiter", "parser.columns")),
            Map.entry("PayloadSpec.plain", List.of("parser.format", "parser.valueName")),
            Map.entry("PayloadSpec.Builder.receiveTimeColumn", List.of("parser.ts")),
            Map.entry("PayloadSpec.Builder.withoutReceiveTime", List.of("parser.withoutReceiveTime")),
            Map.entry("PayloadSpec.Builder.topic", List.of("parser.topic", "parser.topic.as", "parser.topic.name",
                    "parser.topic.type")),
            Map.entry("PayloadSpec.Builder.qos", List.of("parser.qos", "parser.qos.as", "parser.qos.name")),
            Map.entry("PayloadSpec.Builder.field", List.of("parser.fields")),
            Map.entry("PayloadSpec.Builder.column", List.of("parser.fields[].as")),
            Map.entry("PayloadSpec.Builder.tag", List.of("parser.fields[].as")),
            Map.entry("PayloadSpec.Builder.requiredTag", List.of("parser.fields[].required")),
            Map.entry("PayloadSpec.Builder.tagFromTopicLevel", List.of("parser.fields[].topicLevel")),
            Map.entry("PayloadSpec.Builder.columnFromTopicLevel", List.of("parser.fields[].topicLevel")),
            Map.entry("PayloadSpec.Builder.timestamp", List.of("parser.fields[].primaryKey", "parser.fields[].unit")),
            Map.entry("PayloadSpec.Builder.split", List.of("parser.split")),
            Map.entry("PayloadSpec.Builder.superTable", List.of("parser.superTable")),
            Map.entry("PayloadSpec.Builder.subTableTemplate", List.of("parser.subTable")),
            Map.entry("PayloadSpec.Builder.policies", List.of("parser.policies")),
            Map.entry("PayloadSpec.Builder.maxPayloadBytes", List.of("parser.maxPayloadBytes")),
            Map.entry("PayloadSpec.Builder.filterExpression", List.of("parser.filterExpression")),
            Map.entry("PayloadSpec.Builder.payloadFilter", List.of("parser.payloadFilter")),
            Map.entry("PayloadSpec.Builder.filter", List.of("parser.filter")),
            Map.entry("PayloadSpec.Builder.compression", List.of("parser.compression")),
            Map.entry("PayloadSpec.Builder.charset", List.of("parser.charset")),
            Map.entry("Field.builder", List.of("parser.fields[].name")),
            Map.entry("Field.Builder.path", List.of("parser.fields[].path")),
            Map.entry("Field.Builder.topicLevel", List.of("parser.fields[].topicLevel")),
            Map.entry("Field.Builder.expression", List.of("parser.fields[].expr")),
            Map.entry("Field.Builder.type", List.of("parser.fields[].type")),
            Map.entry("Field.Builder.target", List.of("parser.fields[].as")),
            Map.entry("Field.Builder.required", List.of("parser.fields[].required")),
            Map.entry("Field.Builder.primaryKey", List.of("parser.fields[].primaryKey")),
            Map.entry("Field.Builder.unit", List.of("parser.fields[].unit")),
            Map.entry("Field.Builder.scope", List.of("parser.fields[].scope")),
            Map.entry("PayloadPolicies.Nested.timestampCollision", List.of("parser.policies.timestampCollision")),
            Map.entry("PayloadPolicies.Nested.tableName", List.of("parser.policies.tableName")),
            Map.entry("PayloadPolicies.Nested.nameReplacement", List.of("parser.policies.nameReplacement")),
            Map.entry("PayloadPolicies.Nested.stringOverflow", List.of("parser.policies.stringOverflow")),
            Map.entry("PayloadPolicies.Nested.nonFiniteNumber", List.of("parser.policies.nonFiniteNumber")),
            Map.entry("PayloadPolicies.Nested.tagChange", List.of("parser.policies.tagChange")),
            Map.entry("TDengineDeadLetters.Builder.superTable", List.of("deadLetters.tdengine",
                    "deadLetters.tdengine.enabled", "deadLetters.tdengine.superTable")),
            Map.entry("TDengineDeadLetters.Builder.maxPayloadBytes", List.of("deadLetters.tdengine.maxPayloadBytes")),
            Map.entry("MqttDeadLetters.Builder.prefix", List.of("deadLetters.mqtt", "deadLetters.mqtt.enabled",
                    "deadLetters.mqtt.prefix")),
            Map.entry("MqttDeadLetters.Builder.clientId", List.of("deadLetters.mqtt.clientId")),
            Map.entry("MqttDeadLetters.Builder.keeper", List.of("deadLetters.mqtt.keeperClientId")),
            Map.entry("MqttDeadLetters.Builder.noKeeper", List.of("deadLetters.mqtt.keeper")),
            Map.entry("MqttDeadLetters.Builder.publishTimeout", List.of("deadLetters.mqtt.publishTimeoutMillis")),
            Map.entry("FileDeadLetters.Builder.directory", List.of("deadLetters.file", "deadLetters.file.enabled",
                    "deadLetters.file.directory")),
            Map.entry("FileDeadLetters.Builder.prefix", List.of("deadLetters.file.prefix")),
            Map.entry("FileDeadLetters.Builder.maxFileBytes", List.of("deadLetters.file.maxFileBytes")),
            Map.entry("FileDeadLetters.Builder.maxFiles", List.of("deadLetters.file.maxFiles")));

    /** Options a file cannot hold (instances, Java hooks) or that another option already covers; each says why. */
    private static final Map<String, String> JAVA_ONLY = Map.ofEntries(
            Map.entry("SyncPipeline.Builder.source", "an instance: the file's mqtt section builds one"),
            Map.entry("SyncPipeline.Builder.sink", "an instance: the file's tdengine section builds one"),
            Map.entry("SyncPipeline.Builder.listener", "Java callbacks"),
            Map.entry("SyncPipeline.Builder.deadLetterHandler", "an instance: the deadLetters section builds them"),
            Map.entry("SyncPipeline.Builder.addDeadLetterHandler", "an instance: the deadLetters section builds them"),
            Map.entry("TDengineDeadLetters.Builder.sink", "an instance: the pipeline's TDengine sink"),
            Map.entry("MqttDeadLetters.Builder.connection", "an instance: the pipeline's MQTT source"),
            Map.entry("MqttTransport.Builder.deadLetterReplay", "a replay pipeline's source: see docs/dead-letters.md"),
            Map.entry("SyncPipeline.Builder.superTable", "set per mapping: parser.superTable"),
            Map.entry("SyncPipeline.Builder.subTableTemplate", "set per mapping: parser.subTable"),
            Map.entry("MqttTransport.Builder.serverHost", "covered by mqtt.endpoint"),
            Map.entry("MqttTransport.Builder.serverPort", "covered by mqtt.endpoint"),
            Map.entry("MqttTransport.Builder.subscribe", "covered by mqtt.topics"),
            Map.entry("TDengineSink.Builder.dataSource", "an instance: the starter takes a DataSource bean"),
            Map.entry("TDengineSink.Builder.dryRun", "a Java consumer: the runner's --dry-run"),
            Map.entry("PayloadSpec.builder", "a PayloadParser instance (custom formats)"),
            Map.entry("PayloadSpec.Builder.transform", "a Java hook on rows"),
            Map.entry("PayloadSpec.Builder.filter(Predicate)", "a Java hook on rows"));

    /** Keys that set no builder: read by the runner or the mapper itself. */
    private static final Set<String> NOT_BUILDER = Set.of("logLevel", "metrics", "metrics.port", "metrics.host",
            "parser.fields[]", "pipeline", "mqtt", "deadLetters", "deadLetters.log");

    @Test
    void everyBuilderOption_hasAConfigKey_orIsJavaOnly() throws Exception {
        Set<String> keys = new HashSet<>();
        SettingsModel.keys().forEach(k -> keys.add(k.path()));
        List<String> unmapped = new ArrayList<>();
        Set<String> claimed = new HashSet<>(NOT_BUILDER);
        for (String option : options()) {
            List<String> mapped = OPTIONS.get(option);
            if (mapped == null && !JAVA_ONLY.containsKey(option)) {
                unmapped.add(option);
            } else if (mapped != null) {
                assertThat(keys).as("the keys of %s", option).containsAll(mapped);
                claimed.addAll(mapped);
            }
        }
        assertThat(options()).as("the builders' options").hasSizeGreaterThan(80)
                .containsAll(JAVA_ONLY.keySet()).containsAll(OPTIONS.keySet());
        assertThat(unmapped).as("builder options without a config key: add a key to the settings records and the "
                + "mapper, or list the option as Java-only here with the reason").isEmpty();
        Set<String> unclaimed = new TreeSet<>(keys);
        unclaimed.removeAll(claimed);
        unclaimed.removeIf(k -> k.startsWith("parser.") && claimed.contains(k.substring(0, k.lastIndexOf('.'))));
        assertThat(unclaimed).as("config keys no builder option claims").isEmpty();
    }

    /** Public options of the builders: methods returning the builder (and the static starters of specs, fields). */
    private static Set<String> options() {
        Set<String> out = new LinkedHashSet<>();
        for (Class<?> builder : List.of(SyncPipeline.Builder.class, MqttTransport.Builder.class,
                TlsConfig.Builder.class, TDengineSink.Builder.class, PayloadSpec.Builder.class, Field.Builder.class,
                PayloadPolicies.Nested.class, TDengineDeadLetters.Builder.class, MqttDeadLetters.Builder.class,
                FileDeadLetters.Builder.class)) {
            String owner = builder.getName().substring(builder.getPackageName().length() + 1).replace('$', '.');
            for (Method m : builder.getMethods()) {
                if (!Modifier.isStatic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()
                        && m.getDeclaringClass().getName().startsWith("io.github.mqtt2tdengine.")
                        && m.getReturnType().isAssignableFrom(builder) && !m.getName().equals("applyPolicies")) {
                    boolean predicate = m.getName().equals("filter") && m.getParameterCount() == 1
                            && m.getParameterTypes()[0] == java.util.function.Predicate.class;
                    out.add(owner + "." + m.getName() + (predicate ? "(Predicate)" : ""));
                }
            }
        }
        for (Class<?> type : List.of(PayloadSpec.class, Field.class)) {
            for (Method m : type.getMethods()) {
                if (Modifier.isStatic(m.getModifiers()) && m.getReturnType().getSimpleName().equals("Builder")) {
                    out.add(type.getSimpleName() + "." + m.getName());
                }
            }
        }
        return out;
    }

    @Test
    void everyKey_hasAMetadataEntryWithADescription_inTheStartersMetadata() throws Exception {
        JsonNode metadata = new ObjectMapper().readTree(Files.readString(Path.of("target", "classes", "META-INF",
                "spring-configuration-metadata.json")));
        Map<String, String> described = new java.util.HashMap<>();
        for (String section : List.of("groups", "properties")) {
            metadata.get(section).forEach(e -> described.put(e.get("name").asText(),
                    e.path("description").asText("")));
        }
        List<String> missing = new ArrayList<>();
        for (SettingsModel.Key k : SettingsModel.keys()) {
            String path = k.path();
            String list = path.contains("[]") ? path.substring(0, path.indexOf("[]")) : null;
            String name = StarterAssembly.PREFIX + "." + SettingsModel.kebab(list != null ? list : path);
            String description = described.getOrDefault(name, "");
            String leaf = SettingsModel.kebab(path.substring(path.lastIndexOf('.') + 1));
            if (description.isBlank() || (list != null && path.indexOf("[]") == path.lastIndexOf("[]")
                    && path.lastIndexOf('.') > path.indexOf("[]") && !description.contains(leaf))) {
                missing.add(path);
            }
        }
        for (String own : List.of("enabled", "lifecycle.auto-startup", "lifecycle.phase")) {
            if (described.getOrDefault("mqtt2tdengine." + own, "").isBlank()) {
                missing.add(own);
            }
        }
        assertThat(missing).as("keys without a described metadata entry").isEmpty();
    }

    @Test
    void everyKey_hasARowInTheConfigurationReference() throws Exception {
        Path docs = Path.of("..", "docs", "configuration.md");
        Set<String> documented = documentedKeys(Files.readString(docs));
        List<String> missing = new ArrayList<>();
        for (SettingsModel.Key k : SettingsModel.keys()) {
            if (!documented.contains(k.path())) {
                missing.add(k.path());
            }
        }
        assertThat(missing).as("keys without a row in %s (first cell: the key's path in backquotes)", docs)
                .isEmpty();
    }

    /** Keys named in backquotes in the first cell of a table row; {a,b} expanded. */
    static Set<String> documentedKeys(String markdown) {
        Set<String> keys = new HashSet<>();
        Pattern code = Pattern.compile("`([A-Za-z0-9_.\\[\\]{},]+)`");
        for (String line : markdown.split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            if (cells.length < 2) {
                continue;
            }
            Matcher m = code.matcher(cells[1]);
            while (m.find()) {
                String k = m.group(1);
                int open = k.indexOf('{');
                if (open >= 0 && k.endsWith("}")) {
                    for (String part : k.substring(open + 1, k.length() - 1).split(",")) {
                        keys.add(k.substring(0, open) + part.trim());
                    }
                } else {
                    keys.add(k);
                }
            }
        }
        return keys;
    }
}

/**
 * Benchmarks: the end-to-end benchmark main ({@link io.github.mqtt2tdengine.examples.bench.Benchmark}) with its
 * baselines, publisher and memory probe, the sink benchmark and the JMH mapping benchmark.
 */
package io.github.mqtt2tdengine.examples.bench;

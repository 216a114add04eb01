/**
 * Spring Boot auto-configuration of mqtt2tdengine: {@link io.github.mqtt2tdengine.spring.Mqtt2TdengineAutoConfiguration}
 * and the customizer interfaces a host implements as beans.
 */
package io.github.mqtt2tdengine.spring;

/**
 * Recording and alerting rules: rule files, group scheduling, alert state, template expansion and
 * notification to Alertmanager. Depends on the PromQL engine API and the storage contract only.
 */
package dev.tsdb.rules;

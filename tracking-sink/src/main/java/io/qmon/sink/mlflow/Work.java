package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One decoded record handed from the consumer to the writer, with where it came from so its offset
 * can be completed once MLflow accepted it.
 */
record Work(TopicPartition partition, long offset, MetricRecord value) {}

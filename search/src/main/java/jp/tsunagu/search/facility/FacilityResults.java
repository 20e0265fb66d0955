package jp.tsunagu.search.facility;

import java.util.List;
import java.util.Map;

/**
 * @param total facilities matching within the radius
 * @param hits nearest first
 * @param types matching facilities per type code
 */
public record FacilityResults(long total, List<FacilityHit> hits, Map<String, Long> types) {}

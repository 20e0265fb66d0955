package jp.tsunagu.search.facility;

/** A facility and its distance from the query point, in metres. */
public record FacilityHit(Facility facility, double distanceMetres) {}

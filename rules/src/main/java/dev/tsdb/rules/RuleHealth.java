package dev.tsdb.rules;

/** A rule's health as /api/v1/rules reports it. */
public enum RuleHealth {
  UNKNOWN("unknown"), GOOD("ok"), BAD("err");

  private final String apiName;

  RuleHealth(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }
}

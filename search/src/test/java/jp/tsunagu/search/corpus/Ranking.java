package jp.tsunagu.search.corpus;

import java.util.List;
import java.util.Map;

/** nDCG@k and reciprocal rank of a ranked list of page ids against graded judgements. */
public final class Ranking {

  private Ranking() {}

  public static double ndcg(List<String> ranked, Map<String, Integer> grades, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      dcg += gain(grades.getOrDefault(ranked.get(i), 0), i);
    }
    List<Integer> ideal = grades.values().stream().filter(g -> g > 0).sorted((a, b) -> b - a).toList();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.size()); i++) {
      idcg += gain(ideal.get(i), i);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  public static double reciprocalRank(List<String> ranked, Map<String, Integer> grades) {
    for (int i = 0; i < ranked.size(); i++) {
      if (grades.getOrDefault(ranked.get(i), 0) > 0) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  private static double gain(int grade, int position) {
    return (Math.pow(2, grade) - 1) / (Math.log(position + 2) / Math.log(2));
  }
}

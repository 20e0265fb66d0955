package jp.tsunagu.platform.content;

import static jp.tsunagu.platform.content.ContentTesting.assertProblem;
import static jp.tsunagu.platform.content.ContentTesting.finds;
import static jp.tsunagu.platform.content.ContentTesting.page;
import static jp.tsunagu.platform.content.ContentTesting.search;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.model.BestBet;
import jp.tsunagu.api.model.SearchResults;
import jp.tsunagu.api.model.SearchSettings;
import jp.tsunagu.api.model.SearchSettingsInput;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A municipality's synonyms, user dictionary and best bets, stored in PostgreSQL and applied by the index. */
class SearchSettingsIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final String BASE = "https://www.city.shimada.shizuoka.jp/";
  static final Duration SOON = Duration.ofSeconds(10);
  static TestPlatform node;
  static ContentApi editor;
  static ContentApi anonymous;
  static UUID movingGuide;

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start();
    new Fixtures(node).tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    editor = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    anonymous = new ContentApi(node.client());
    ContentTesting.taxonomy(editor, SHIMADA);
    editor.upsertPage(SHIMADA, page(BASE + "kosodate/hoikuen.html", "保育園の一覧", "<p>市内の保育園の一覧です。</p>", "kosodate"));
    editor.upsertPage(SHIMADA, page(BASE + "gomi/sodai.html", "粗大ごみの出し方", "<p>粗大ごみは予約制です。</p>", "gomi"));
    movingGuide = editor.upsertPage(SHIMADA, page(BASE + "kurashi/tenshutsu.html", "転出・転入の手続き一覧",
        "<p>住所を変えるときの手続きをまとめました。</p>", null)).getPage().getId();
    Poll.until(SOON, "the pages are searchable", () -> finds(anonymous, SHIMADA, "保育園", BASE + "kosodate/hoikuen.html"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void synonymsAndBestBetsApplyWithoutARebuildAndADictionaryChangeRebuilds() throws Exception {
    assertFalse(finds(anonymous, SHIMADA, "保育所", BASE + "kosodate/hoikuen.html"));
    assertFalse(finds(anonymous, SHIMADA, "ごみ", BASE + "gomi/sodai.html"), "粗大ごみ is one word to the standard dictionary");
    long generation = editor.getSearchIndex().getGeneration();

    SearchSettings saved = editor.saveSearchSettings(SHIMADA, new SearchSettingsInput()
        .synonyms("保育園,保育所\n")
        .userDictionary("粗大ごみ,粗大 ごみ,ソダイ ゴミ,カスタム名詞\n")
        .bestBets(List.of(new BestBet().query("引っ越し").pageIds(List.of(movingGuide)))));
    assertTrue(saved.getRebuildRequested());

    Poll.until(SOON, "the synonym applies", () -> finds(anonymous, SHIMADA, "保育所", BASE + "kosodate/hoikuen.html"));
    Poll.until(SOON, "the best bet applies", () -> !search(anonymous, SHIMADA, "引っ越し").getPinned().isEmpty());
    SearchResults moving = search(anonymous, SHIMADA, "引っ越し");
    assertEquals(movingGuide.toString(), moving.getPinned().get(0).getId());
    assertTrue(moving.getPinned().get(0).getPinned());
    Poll.until(Duration.ofSeconds(30), "the rebuilt index cuts 粗大ごみ into 粗大 and ごみ",
        () -> editor.getSearchIndex().getGeneration() > generation && finds(anonymous, SHIMADA, "ごみ", BASE + "gomi/sodai.html"));

    SearchSettings again = editor.saveSearchSettings(SHIMADA, new SearchSettingsInput().synonyms("保育園,保育所\n")
        .userDictionary("粗大ごみ,粗大 ごみ,ソダイ ゴミ,カスタム名詞\n").bestBets(List.of()));
    assertFalse(again.getRebuildRequested(), "the dictionary did not change");
    Poll.until(SOON, "the best bet is gone", () -> search(anonymous, SHIMADA, "引っ越し").getPinned().isEmpty());
    assertEquals("保育園,保育所\n", editor.getSearchSettings(SHIMADA).getSynonyms());
  }

  @Test
  void badSettingsAreRefusedAndChangeNothing() throws Exception {
    String before = editor.getSearchSettings(SHIMADA).getSynonyms();
    assertProblem(400, "search-bad-argument", () -> editor.saveSearchSettings(SHIMADA, new SearchSettingsInput()
        .userDictionary("粗大ごみ,粗大 ごみ\n")));
    assertProblem(400, "search-bad-argument", () -> editor.saveSearchSettings(SHIMADA, new SearchSettingsInput()
        .synonyms("保育園 => \n")));
    assertProblem(422, "unknown-page", () -> editor.saveSearchSettings(SHIMADA, new SearchSettingsInput()
        .bestBets(List.of(new BestBet().query("x").pageIds(List.of(UUID.randomUUID()))))));
    assertProblem(401, "unauthenticated", () -> anonymous.getSearchSettings(SHIMADA));
    assertEquals(before, editor.getSearchSettings(SHIMADA).getSynonyms());
  }
}

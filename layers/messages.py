"""The page's own words, one message catalogue: each message is its English text, translated per
locale. Records' own text is never looked up here; it stays as written."""
from __future__ import annotations

from typing import Any

LOCALES = ("en", "ja", "ko", "zh", "fr", "de", "es", "ar")
TRANSLATED = LOCALES[1:]
# Each English message, then its translations in the order of TRANSLATED.
CATALOGUE: dict[str, tuple[str, ...]] = {
    # layer titles, legend lines and notes
    "Bases": ("基地", "기지", "基地", "Bases", "Stützpunkte", "Bases", "القواعد"),
    "Command links": ("指揮系統", "지휘 체계", "指挥关系", "Liens de commandement", "Befehlsketten",
                      "Cadena de mando", "روابط القيادة"),
    "Headquarters": ("司令部", "사령부", "司令部", "Quartiers généraux", "Hauptquartiere", "Cuarteles generales",
                     "المقرات"),
    "Reports to": ("上級司令部", "상급 사령부", "上级司令部", "Relève de", "Unterstellt", "Depende de", "يتبع"),
    "arrow points to the superior command": ("矢印は上級司令部を指す", "화살표는 상급 사령부를 가리킴", "箭头指向上级司令部",
                                             "la flèche pointe vers le commandement supérieur",
                                             "Pfeil zeigt zum übergeordneten Kommando",
                                             "la flecha apunta al mando superior", "يشير السهم إلى القيادة الأعلى"),
    "Troops and assets": ("兵力と装備", "병력과 장비", "兵力与装备", "Troupes et moyens", "Truppen und Gerät",
                          "Tropas y medios", "القوات والمعدات"),
    "Troops": ("兵力", "병력", "兵力", "Troupes", "Truppen", "Tropas", "القوات"),
    "Assets": ("装備", "장비", "装备", "Moyens", "Gerät", "Medios", "المعدات"),
    "circle area shows headcount; largest {count}": (
        "円の面積は人数を表す（最大 {count}）", "원의 면적은 인원수(최대 {count})", "圆面积表示人数（最多 {count}）",
        "l’aire du cercle montre l’effectif ; le plus grand {count}", "Kreisfläche zeigt die Stärke; größte {count}",
        "el área del círculo muestra los efectivos; el mayor {count}", "مساحة الدائرة تبين العدد؛ الأكبر {count}"),
    "about {count} troops": ("約 {count} 人", "약 {count}명", "约 {count} 人", "environ {count} militaires",
                             "etwa {count} Soldaten", "unos {count} efectivos", "حوالي {count} جندي"),
    "{count} troops": ("{count} 人", "{count}명", "{count} 人", "{count} militaires", "{count} Soldaten",
                       "{count} efectivos", "{count} جندي"),
    "Meetings": ("会談", "회담", "会晤", "Rencontres", "Treffen", "Reuniones", "الاجتماعات"),
    "dated": ("日付入り", "날짜 표시", "标注日期", "datées", "mit Datum", "con fecha", "مؤرخة"),
    "Itinerary": ("行程", "일정", "行程", "Itinéraire", "Reiseroute", "Itinerario", "خط السير"),
    "in date order": ("日付順", "날짜순", "按日期顺序", "dans l’ordre des dates", "in zeitlicher Reihenfolge",
                      "en orden de fechas", "بترتيب التواريخ"),
    "Ranges": ("射程", "사거리", "射程", "Portées", "Reichweiten", "Alcances", "المديات"),
    "geodesic distance": ("測地線距離", "측지 거리", "大地线距离", "distance géodésique", "geodätische Entfernung",
                          "distancia geodésica", "المسافة الجيوديسية"),
    # gestures in an article's frame, and the reset button (layers/runtime/gestures.js)
    "Use ctrl + scroll to zoom the map": (
        "地図を拡大・縮小するには Ctrl キーを押しながらスクロール", "지도를 확대/축소하려면 Ctrl 키를 누른 채 스크롤하세요",
        "按住 Ctrl 键滚动以缩放地图", "Utilisez Ctrl + molette pour zoomer sur la carte",
        "Zum Zoomen der Karte Strg + Scrollen verwenden", "Usa Ctrl + rueda para ampliar el mapa",
        "استخدم Ctrl مع التمرير لتكبير الخريطة"),
    "Use two fingers to move the map": (
        "地図を動かすには 2 本の指で操作", "지도를 움직이려면 두 손가락을 사용하세요", "用两根手指移动地图",
        "Utilisez deux doigts pour déplacer la carte", "Zum Verschieben der Karte zwei Finger verwenden",
        "Usa dos dedos para mover el mapa", "استخدم إصبعين لتحريك الخريطة"),
    "+{count} label: zoom in": ("+{count} 件のラベル：拡大して表示", "+{count}개 레이블: 확대하세요", "+{count} 个标签：请放大",
                                "+{count} étiquette : zoomez", "+{count} Beschriftung: hineinzoomen",
                                "+{count} etiqueta: acerque el mapa", "+{count} تسمية: كبّر الخريطة"),
    "+{count} labels: zoom in": ("+{count} 件のラベル：拡大して表示", "+{count}개 레이블: 확대하세요", "+{count} 个标签：请放大",
                                 "+{count} étiquettes : zoomez", "+{count} Beschriftungen: hineinzoomen",
                                 "+{count} etiquetas: acerque el mapa", "+{count} تسميات: كبّر الخريطة"),
    "Reset the map's view": (
        "地図の表示を元に戻す", "지도 보기 초기화", "重置地图视图", "Revenir à la vue initiale de la carte",
        "Kartenansicht zurücksetzen", "Restablecer la vista del mapa", "إعادة عرض الخريطة"),
    # where a point is only approximately the place (geo: a town, a city or a country's label point)
    "Location": ("位置", "위치", "位置", "Emplacement", "Lage", "Ubicación", "الموقع"),
    "Countries": ("国", "국가", "国家", "Pays", "Länder", "Países", "الدول"),
    "Host": ("受け入れ国", "주둔국", "东道国", "Pays hôte", "Gastland", "País anfitrión", "الدولة المضيفة"),
    "Ally": ("同盟国", "동맹국", "盟国", "Allié", "Verbündeter", "Aliado", "حليف"),
    "Partner": ("パートナー", "파트너", "伙伴", "Partenaire", "Partner", "Socio", "شريك"),
    "Named": ("言及された国", "언급된 국가", "提及的国家", "Cité", "Genannt", "Mencionado", "مذكورة"),
    "Venue": ("開催地", "개최지", "举办地", "Lieu", "Tagungsort", "Sede", "مكان الانعقاد"),
    "Adversary": ("敵対国", "적대국", "对手国", "Adversaire", "Gegner", "Adversario", "خصم"),
    "Other": ("その他", "기타", "其他", "Autre", "Andere", "Otro", "أخرى"),
    "Meeting venue": ("会談の開催地", "회담 장소", "会晤地点", "Lieu de la rencontre", "Tagungsort",
                      "Sede de la reunión", "مكان الاجتماع"),
    "host": ("受け入れ国", "주둔국", "东道国", "pays hôte", "Gastland", "país anfitrión", "الدولة المضيفة"),
    "ally": ("同盟国", "동맹국", "盟国", "allié", "Verbündeter", "aliado", "حليف"),
    "partner": ("パートナー", "파트너", "伙伴", "partenaire", "Partner", "socio", "شريك"),
    "named": ("言及された国", "언급된 국가", "提及的国家", "cité", "genannt", "mencionado", "مذكورة"),
    "venue": ("開催地", "개최지", "举办地", "lieu", "Tagungsort", "sede", "مكان الانعقاد"),
    "adversary": ("敵対国", "적대국", "对手国", "adversaire", "Gegner", "adversario", "خصم"),
    "other": ("その他", "기타", "其他", "autre", "andere", "otro", "أخرى"),
    # a figure for a whole country, drawn as a badge at the country's edge (layers/runtime/totals.js)
    "Country total": ("国別の合計", "국가별 합계", "全国总数", "Total du pays", "Landessumme", "Total del país",
                      "إجمالي البلد"),
    "a figure for the whole country": ("国全体の数", "국가 전체 수치", "全国的数字", "un chiffre pour tout le pays",
                                       "eine Zahl für das ganze Land", "una cifra para todo el país",
                                       "رقم للبلد كله"),
    "{name} reports to {boss}": ("{name} は {boss} の指揮下", "{name}은(는) {boss} 소속", "{name} 隶属于 {boss}",
                                 "{name} relève de {boss}", "{name} ist {boss} unterstellt", "{name} depende de {boss}",
                                 "{name} يتبع {boss}"),
    "{start} to {end}": ("{start}～{end}", "{start}~{end}", "{start}至{end}", "du {start} au {end}",
                         "{start} bis {end}", "del {start} al {end}", "من {start} إلى {end}"),
    "until {end}": ("{end}まで", "{end}까지", "至{end}", "jusqu’au {end}", "bis {end}", "hasta el {end}",
                    "حتى {end}"),
    # what a record is (accessible names, the table's kind column)
    "base": ("基地", "기지", "基地", "base", "Stützpunkt", "base", "قاعدة"),
    "headquarters": ("司令部", "사령부", "司令部", "quartier général", "Hauptquartier", "cuartel general", "مقر"),
    "deployment": ("展開", "배치", "部署", "déploiement", "Stationierung", "despliegue", "انتشار"),
    "assets": ("装備", "장비", "装备", "moyens", "Gerät", "medios", "معدات"),
    "meeting": ("会談", "회담", "会晤", "rencontre", "Treffen", "reunión", "اجتماع"),
    "command": ("司令部", "사령부", "司令部", "commandement", "Kommando", "mando", "قيادة"),
    "event": ("出来事", "행사", "事件", "événement", "Ereignis", "evento", "حدث"),
    # popups' field names and the table's headers
    "Operator": ("運用者", "운용 주체", "运营方", "Opérateur", "Betreiber", "Operador", "المشغل"),
    "Branch": ("軍種", "군종", "军种", "Armée", "Teilstreitkraft", "Rama", "الفرع"),
    "Based at": ("所在基地", "주둔 기지", "驻扎于", "Basé à", "Stationiert in", "Con base en", "متمركز في"),
    "Based here": ("所在部隊", "주둔 부대", "驻扎部队", "Basés ici", "Hier stationiert", "Con base aquí",
                   "المتمركزون هنا"),
    "Country": ("国", "국가", "国家", "Pays", "Land", "País", "الدولة"),
    "Summary": ("概要", "요약", "摘要", "Résumé", "Zusammenfassung", "Resumen", "الملخص"),
    "Source": ("出典", "출처", "来源", "Source", "Quelle", "Fuente", "المصدر"),
    "Quote": ("引用", "인용", "引文", "Citation", "Zitat", "Cita", "اقتباس"),
    "Located at": ("所在地", "위치", "所在地", "Situé à", "Standort", "Ubicado en", "الموقع"),
    "Count": ("数", "수량", "数量", "Nombre", "Anzahl", "Cantidad", "العدد"),
    "At": ("所在地", "위치", "位于", "À", "In", "En", "في"),
    "Period": ("期間", "기간", "期间", "Période", "Zeitraum", "Periodo", "الفترة"),
    "Date": ("日付", "날짜", "日期", "Date", "Datum", "Fecha", "التاريخ"),
    "Place": ("場所", "장소", "地点", "Lieu", "Ort", "Lugar", "المكان"),
    "Participants": ("参加者", "참석자", "与会者", "Participants", "Teilnehmer", "Participantes", "المشاركون"),
    "Name": ("名称", "이름", "名称", "Nom", "Name", "Nombre", "الاسم"),
    "Kind": ("種類", "종류", "类型", "Type", "Art", "Tipo", "النوع"),
    "Details": ("詳細", "세부 사항", "详情", "Détails", "Einzelheiten", "Detalles", "التفاصيل"),
    # the page around the map
    "Source:": ("出典：", "출처:", "来源：", "Source :", "Quelle:", "Fuente:", "المصدر:"),
    "Key": ("凡例", "범례", "图例", "Légende", "Legende", "Leyenda", "مفتاح الخريطة"),
    "Interactive map: {title}. {summary}": ("インタラクティブ地図：{title}。{summary}", "인터랙티브 지도: {title}. {summary}",
                                            "交互式地图：{title}。{summary}", "Carte interactive : {title}. {summary}",
                                            "Interaktive Karte: {title}. {summary}",
                                            "Mapa interactivo: {title}. {summary}",
                                            "خريطة تفاعلية: {title}. {summary}"),
    "The map shows {things}.": ("地図の内容：{things}。", "지도 내용: {things}.", "地图显示：{things}。",
                                "La carte montre {things}.", "Die Karte zeigt {things}.", "El mapa muestra {things}.",
                                "تعرض الخريطة {things}."),
    "no records": ("記録なし", "기록 없음", "没有记录", "aucun enregistrement", "keine Einträge", "ningún registro",
                   "لا سجلات"),
    "{count} base": ("基地 {count} か所", "기지 {count}곳", "{count} 个基地", "{count} base", "{count} Stützpunkt",
                     "{count} base", "قواعد: {count}"),
    "{count} bases": ("基地 {count} か所", "기지 {count}곳", "{count} 个基地", "{count} bases", "{count} Stützpunkte",
                      "{count} bases", "قواعد: {count}"),
    "{count} deployment": ("展開 {count} 件", "배치 {count}건", "{count} 处部署", "{count} déploiement",
                           "{count} Stationierung", "{count} despliegue", "انتشار: {count}"),
    "{count} deployments": ("展開 {count} 件", "배치 {count}건", "{count} 处部署", "{count} déploiements",
                            "{count} Stationierungen", "{count} despliegues", "انتشار: {count}"),
    "{count} command": ("司令部 {count} か所", "사령부 {count}곳", "{count} 个司令部", "{count} commandement",
                        "{count} Kommando", "{count} mando", "قيادات: {count}"),
    "{count} commands": ("司令部 {count} か所", "사령부 {count}곳", "{count} 个司令部", "{count} commandements",
                         "{count} Kommandos", "{count} mandos", "قيادات: {count}"),
    "{count} event": ("出来事 {count} 件", "행사 {count}건", "{count} 个事件", "{count} événement", "{count} Ereignis",
                      "{count} evento", "أحداث: {count}"),
    "{count} events": ("出来事 {count} 件", "행사 {count}건", "{count} 个事件", "{count} événements",
                       "{count} Ereignisse", "{count} eventos", "أحداث: {count}"),
    "Records on this map": ("この地図の記録", "이 지도의 기록", "本地图的记录", "Enregistrements de cette carte",
                            "Einträge dieser Karte", "Registros de este mapa", "سجلات هذه الخريطة"),
    "{count} more records are in the map’s GeoJSON.": (
        "残り {count} 件は地図の GeoJSON にあります。", "나머지 {count}건은 지도의 GeoJSON에 있습니다.",
        "其余 {count} 条记录见地图的 GeoJSON。", "{count} autres enregistrements sont dans le GeoJSON de la carte.",
        "{count} weitere Einträge stehen im GeoJSON der Karte.",
        "Otros {count} registros están en el GeoJSON del mapa.",
        "{count} سجلات أخرى في ملف GeoJSON للخريطة."),
    # the key's symbols in words
    "square": ("四角", "사각형", "方块", "carré", "Quadrat", "cuadrado", "مربع"),
    "star": ("星", "별", "星形", "étoile", "Stern", "estrella", "نجمة"),
    "diamond": ("ひし形", "마름모", "菱形", "losange", "Raute", "rombo", "معين"),
    "dot": ("点", "점", "圆点", "point", "Punkt", "punto", "نقطة"),
    "circle": ("円", "원", "圆圈", "cercle", "Kreis", "círculo", "دائرة"),
    "line": ("線", "선", "线", "ligne", "Linie", "línea", "خط"),
    "dashed line": ("破線", "점선", "虚线", "ligne pointillée", "gestrichelte Linie", "línea discontinua", "خط متقطع"),
    "line with arrows": ("矢印付きの線", "화살표가 있는 선", "带箭头的线", "ligne fléchée", "Linie mit Pfeilen",
                         "línea con flechas", "خط بأسهم"),
    "area": ("区域", "영역", "区域", "zone", "Fläche", "zona", "منطقة"),
    "ring": ("輪", "고리", "环", "anneau", "Ring", "anillo", "حلقة"),
    "symbol": ("記号", "기호", "符号", "symbole", "Symbol", "símbolo", "رمز"),
    # the page's runtime: Leaflet's controls
    "Zoom in": ("拡大", "확대", "放大", "Zoom avant", "Vergrößern", "Acercar", "تكبير"),
    "Zoom out": ("縮小", "축소", "缩小", "Zoom arrière", "Verkleinern", "Alejar", "تصغير"),
    "Layers": ("レイヤー", "레이어", "图层", "Calques", "Ebenen", "Capas", "الطبقات"),
    "Close": ("閉じる", "닫기", "关闭", "Fermer", "Schließen", "Cerrar", "إغلاق"),
}
MESSAGES: dict[str, dict[str, str]] = {
    locale: {text: words[n] for text, words in CATALOGUE.items()} for n, locale in enumerate(TRANSLATED)}
# The words the page's runtime needs (control names), written into the page as JSON data.
RUNTIME_WORDS = ("Zoom in", "Zoom out", "Layers", "Close")


def say(text: str, locale: str = "en", **values: Any) -> str:
    """``text`` (the English message) in ``locale``, with ``values`` filled into its {fields}."""
    return MESSAGES.get(locale, {}).get(text, text).format(**values)


def labelled(pairs: list[tuple[str, str]], locale: str) -> list[tuple[str, str]]:
    """Popup rows (field name, record column) with the field names in ``locale``."""
    return [(say(label, locale), column) for label, column in pairs]


def runtime_words(locale: str) -> dict[str, str]:
    """The messages the page's runtime uses, in ``locale``."""
    return {text: say(text, locale) for text in RUNTIME_WORDS}

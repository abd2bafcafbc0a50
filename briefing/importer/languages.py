"""The words bylines are written with, in English, German, French, Spanish, Italian, Portuguese and Dutch (and a few in
Indonesian, Scandinavian, Polish, Russian, Korean and Japanese; months also in Czech, Turkish, Romanian, Hungarian, Finnish,
Ukrainian, Greek and Catalan): months, weekdays, labels."""
from __future__ import annotations

import re

# Each month's names and abbreviations, January first; a trailing dot after an abbreviation is allowed where they are read.
_MONTH_NAMES = (
    "january jan januar jän janvier janv enero ene gennaio gen janeiro januari января январь янв stycznia ledna ocak ianuarie január tammikuuta січня ιανουαρίου gener",
    "february feb februar feber février fevrier févr fevr febrero febbraio fevereiro fev februari февраля февраль фев lutego února şubat subat februarie február helmikuuta лютого φεβρουαρίου febrer",
    "march mar märz maerz mär mars marzo março marco maart mrt марта март marca března mart martie március maaliskuuta березня μαρτίου maret març",
    "april apr avril avr abril abr aprile апреля апрель апр kwietnia dubna nisan aprilie április huhtikuuta квітня απριλίου",
    "may mai mayo maggio mag maio mei мая май maja května mayıs mayis maj május toukokuuta травня μαΐου maig",
    "june jun juni juin junio giugno giu junho июня июнь июн czerwca června haziran iunie június kesäkuuta червня ιουνίου juny",
    "july jul juli juillet juil julio luglio lug julho июля июль июл lipca července temmuz iulie július heinäkuuta липня ιουλίου juliol",
    "august aug août aout agosto ago augustus августа август авг sierpnia srpna ağustos agustos augusti augusztus elokuuta серпня αυγούστου agustus agost",
    "september sep sept septembre septiembre setiembre settembre set setembro сентября сентябрь сент сен września září eylül eylul septembrie szeptember syyskuuta вересня σεπτεμβρίου setembre",
    "october oct oktober okt octobre octubre ottobre ott outubro out октября октябрь окт października října ekim octombrie október lokakuuta жовтня οκτωβρίου",
    "november nov novembre noviembre novembro ноября ноябрь ноя listopada listopadu kasım kasim noiembrie marraskuuta листопада νοεμβρίου",
    "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro декабря декабрь дек grudnia prosince aralık aralik decembrie desember desemba joulukuuta грудня δεκεμβρίου desembre",
)
MONTH_NUMBER = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
# Longest first, so "marzo" is not read as "mar" followed by "zo". Abbreviations that are also English words ("set", "out",
# "ago") are months only after a day number ("3 out 2019"), never before one ("sold out 3, 2019").
MONTH_PATTERN = "|".join(sorted((re.escape(name) for name in MONTH_NUMBER), key=len, reverse=True))
_ENGLISH_WORDS = frozenset("set out ago gen mag ott giu lug ene dic mei mart maj".split())
MONTH_FIRST_PATTERN = "|".join(sorted((re.escape(name) for name in MONTH_NUMBER if name not in _ENGLISH_WORDS), key=len, reverse=True))

WEEKDAYS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag
    lundi mardi mercredi jeudi vendredi samedi dimanche
    lunes martes miércoles miercoles jueves viernes sábado sabado domingo
    lunedì lunedi martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi sabato domenica
    segunda terça terca quarta quinta sexta feira
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
    mandag tirsdag onsdag torsdag fredag lørdag søndag måndag tisdag lördag söndag""".split()
)

# A byline's "By": the word that stands before the author's name.
BY_WORDS = ("by", "von", "par", "por", "door", "di")
# A credit's label set on the line under a name ("Ana Lima" / "Penulis"): who wrote the story, or who only edited it.
WRITER_LABELS = ("writer", "author", "autor", "autorin", "auteur", "autore", "reporter", "penulis", "wartawan")
EDITOR_LABELS = ("editor", "edited by", "redakteur", "rédacteur en chef", "redaktur", "penyunting", "editor in chief")
# Labels beside a stamp, saying which of a page's dates it is; longest first, so "zuletzt geändert" goes as one label.
_PUBLISHED = (
    "published", "posted", "original", "veröffentlicht", "publiziert", "erschienen", "publié", "publie", "publicado", "publicada",
    "publicat", "pubblicato", "gepubliceerd", "geplaatst", "erstellt", "erstellt am", "publisert", "publiceret", "publicerad",
    "입력", "公開", "配信",  # Korean and Japanese: "entered", "made public", "sent out"
    "发布时间", "发布", "发表时间", "опубликовано", "yayınlanma", "yayınlandı", "opublikowano", "publikováno", "julkaistu",
)
_UPDATED = (
    "updated", "last updated", "last modified", "modified", "aktualisiert", "zuletzt aktualisiert", "geändert", "zuletzt geändert",
    "stand", "editiert", "bearbeitet", "mis à jour", "mis a jour", "modifié", "actualizado", "actualizada", "atualizado", "atualizada", "aggiornato", "modifica",
    "aggiornamento", "bijgewerkt", "gewijzigd", "수정", "更新", "最后更新", "обновлено", "güncellenme", "güncellendi", "zaktualizowano",
    "aktualizováno", "päivitetty",
)
PUBLISHED_WORDS = "|".join(sorted(_PUBLISHED, key=len, reverse=True))
UPDATED_WORDS = "|".join(sorted(_UPDATED, key=len, reverse=True))
# Small words between a label, a weekday, a date and a time: "le 19 février à 14h30", "am 19. Februar um 14:30 Uhr".
FILLER = frozenset(
    """by and on at the of le la les à a am um uhr den der die el del de às alle il op om het em en
    h vom min mins read ago hour hours minute minutes day days kl""".split()  # "5 min read", "Updated 14 hours ago"
) | frozenset(  # "Today, 02-11-2023 13:29": a day named relative to now, before its date
    """today yesterday heute gestern aujourd'hui hier hoy ayer oggi ieri hoje ontem vandaag gisteren dzisiaj wczoraj idag igår""".split()
)

# Words a person's name never starts (or ends) with: articles, pronouns and prepositions (German, Spanish and French capitalise
# them at the start of a label: "Eine Kolumne", "Im Wortlaut", "Meine Kanäle"), and the words of a page's buttons and menus.
NOT_NAME_WORDS = frozenset(
    """the a this that our my your his her its their all new latest more most from me you us him them we it
    die der das dem den des ein eine einer eines einem im am aus zum zur mit für über unter nach bei vom zu und oder mein meine
    unser unsere unserer ihr ihre dein deine alle neue neueste neuester neuesten weitere mehr zuletzt letztes letzte
    liebe lieber liebes deutsche deutschen deutscher
    el los las un una unos unas mis nuestro nuestra sus en con para sobre
    les une ces mon mes notre nos votre vos sur avec pour dans
    il gli uno questo questa nostro nostra
    os uma meu minha nosso nossa com
    het een mijn onze ons bij met voor""".split()
)
# Words of a page's furniture that two capitalised words around them do not make a name: "Anzahl Kommentare", "Site Update".
FURNITURE_WORDS = frozenset(
    """comments comment update updates content sponsored paid home menu search archive category categories tags topics says sagt schreibt
    kommentare kommentar beiträge beitrag artikel kategorie kategorien allgemein allgemeines aktuell startseite suche anzeige nachrichten
    comentarios comentario portada inicio noticias categoría
    commentaires commentaire accueil actualités rubrique
    commenti notizie
    comentários notícias início
    reacties nieuws
    advertisement advertising werbung anzeige publicidad publicidade publicité pubblicità advertentie
    lesezeit lectura lecture leitura leestijd
    photo photos foto fotos bild bilder imagen immagine imagem
    whatsapp telegram pinterest reddit flipboard teilen compartir partager condividi partilhar delen stream livestream
    lesen hören vorlesen anhören escuchar écouter ascolta ouvir luisteren listen
    log login logout print recipe pressemitteilung communiqué sign newsletter newsletters
    university universität universidad université università universidade universiteit institute institut instituto""".split()
)
# The label of a box that sums the story up above it, in the languages bylines are read in (and the Scandinavian ones).
SUMMARY_LABELS = frozenset(" ".join(label.split()) for label in
    """key points|in short|in brief|at a glance|summary|the essentials|das wichtigste in kürze|in kürze|kurz gesagt|kurz und knapp
    |en bref|l'essentiel|en resumen|lo esencial|in breve|in sintesi|em resumo|in het kort|kort fortalt|kort sagt|kortfattat
    |i korthet|lyhyesti|kortversjonen|kortversionen|kort version""".split("|")
)

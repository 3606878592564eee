/**
 * Cyrillic and Greek small letters drawn like a Latin one (Unicode's confusables), folded to it
 * when titles (storyTitleKey) and host names (hostNameKey) are compared. Within each script the
 * map is one-to-one and lands only on Latin letters, so two titles wholly in one script are told
 * apart exactly as before; only one that mixes in look-alikes (`Аpple`, Cyrillic А) meets its twin.
 */
const LOOK_ALIKE_LETTERS = 'асԁеһіјӏорԛѕԝху' + 'αικνορυχ'; // Cyrillic, then Greek
const LATIN_TWINS = 'acdehijlopqswxy' + 'aikvopux';
const LOOK_ALIKE = new RegExp(`[${LOOK_ALIKE_LETTERS}]`, 'gu');
const latinTwin = (letter: string) => LATIN_TWINS[LOOK_ALIKE_LETTERS.indexOf(letter)] ?? letter;

/** `text` (lower-cased) with each look-alike letter replaced by its Latin twin. */
export function foldLookAlikes(text: string): string {
  return text.replace(LOOK_ALIKE, latinTwin);
}

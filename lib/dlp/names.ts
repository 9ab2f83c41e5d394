/**
 * Given names common among pupils, parents and staff in UK schools (ONS baby-name lists across
 * four decades, with the Polish, South Asian, Arabic, West African and Eastern European names
 * frequent in English and Welsh schools). Used to tell a person from other capitalised words:
 * "Sam is diabetic", "Jayden's mum", a column of "Ella Thompson" rows in a pasted table.
 *
 * Left out on purpose: names that are also everyday words at the start of a sentence or in a
 * heading (Will, May, June, April, Hope, Faith, Joy, Bill, Pat, Summer, River, Grace excepted as
 * it is rarely capitalised otherwise). A name missing here costs one signal, not the whole
 * detection: tables and lists also count rows by their shape. Adults' names (parents, staff in an
 * HR case: "Pete is due back after his heart surgery") are the 1950s–1980s ONS lists; `Jan`, `Sue`
 * and `Lee` are left out (a month, a verb, a place in a heading).
 */
const NAMES = `
aaliyah aaron abbie abdul abdullah abigail ada adam adrian ahmed aidan aiden aisha alan albert
aleksander alex alexa alexander alexandra alfie alice alicia alisha alison amanda amber amelia
amelie amir amira amy ana andrea andrew angela anna annabel anne annie anthony antoni archie aria
ariana arlo arthur asha ashley aston aurora ava ayaan ayesha barbara beatrice becky bella ben
benjamin bethany billy blake bobby bonnie brandon brooke bryony caitlin callum cameron carl carol
caroline carys cerys charlie charlotte chelsea chloe christine christopher ciara claire clara
cody cole connor craig daisy daniel danielle darcey darcy david dawn dean declan denise dexter
diane dominic donna dylan eden edward eleanor elijah elizabeth ella ellie elliot elliott eloise
elsie emily emma erin ethan evan evelyn evie ewan faisal fatima felix finley finn florence
francesca frankie freddie freya gabriel gary gemma george georgia gracie grace hafsa haleema
hamza hannah harley harper harriet harrison harry harvey hayden hayley heather helen henry hollie
holly hugo ibrahim imogen isaac isabel isabella isabelle isla ivy jack jackson jacob jade jake
james jamie jasmine jason jayden jenna jennifer jessica jodie joe joel john jonathan jordan
joseph josh joshua jude julia julie kacper kai karen kate katie kayden keira kian kieran kirsty
kyle lacey laila lara laura lauren layla leah leo leon lewis lexi liam lily lilly lisa logan
lola lottie louie louis louise luca lucas lucy luke lydia maddison madison maisie maja malik
maria mariam marie mark martin marcus mason matilda matthew maya megan mia michael michelle
mikolaj mila millie mohammed mohammad molly muhammad musa nadia naomi nathan nicola nina noah
nour oliver olivia omar oscar owen paige patrick paul phoebe piper poppy priya rachel rebecca
reece reggie reuben rhys riley robert rory rosie ruby ryan saanvi sadie safa sam samantha samuel
sara sarah scarlett sean sebastian shannon sienna sofia sophia sophie stanley stephen steven
szymon tahmid tanya taylor teddy theo theodore thomas tia tilly toby tom tommy
tyler tyrese victoria violet wiktoria william willow yasmin yusuf zac zachary zain zainab zak
zara zoe zofia zuzanna aidan alfred amara ananya arjun aryan ayan bilal chidi chioma deepa eilidh
emeka fraser hamish iona kayla kenzie lachlan leighton lennon lyla marley nikola oskar rayan
remi rohan ruairi seren taha temi tobias tomasz yahya zayn kaden jayden-lee
amina hawa noor yusra ruqayyah maryam khadija abdirahman mustafa hassan hussein ali idris ismail
jakub filip oliwia lena natalia amelka dawid kuba wojciech lukas milan kristina precious
blessing tobi femi kemi tunde ade amani cara rowan aled
dafydd gethin osian rhian sian ffion cerian
susan janet margaret patricia linda deborah debbie tracey tracy sharon jane jean jackie joanne
kelly kerry lorraine mandy paula sally sandra wendy andrea catherine cathy clare fiona gillian
hazel judith kathryn lesley lynne lynn maureen pauline ruth sheila tina valerie yvonne beverley
alison janice marion elaine andy barry brian colin darren derek gareth gavin geoff graham ian
keith kevin neil nigel pete peter phil philip richard roger russell scott shaun simon stuart
terry tony trevor wayne dave steve chris nick tim jonathan malcolm stephanie esme
`;

/** Lower-case given names, for `isGivenName`. */
export const GIVEN_NAMES: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter(Boolean));

/** Whether a capitalised word is a common given name ("Lily", "Lily-Mae" by its first part). */
export function givenNameOf(word: string): boolean {
  const lower = word.toLowerCase();
  if (GIVEN_NAMES.has(lower)) return true;
  const dash = lower.indexOf('-');
  return dash > 0 && GIVEN_NAMES.has(lower.slice(0, dash));
}

/** `nameBits` has 2 ** NAME_BITS bits. */
const NAME_BITS = 13;

/** One step of FNV-1a over a character code (the caller lower-cases it). */
const mix = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);
const FNV_START = 0x811c9dc5;

/** The bit of a finished hash. */
const bitOf = (h: number): number => h >>> (32 - NAME_BITS);

/** A bit set for the given names' hashes (1 KB), built at the first question. */
let nameBits: Uint32Array | null = null;

function givenNameBits(): Uint32Array {
  if (nameBits) return nameBits;
  const bits = new Uint32Array(2 ** NAME_BITS / 32);
  for (const name of GIVEN_NAMES) {
    let h = FNV_START;
    for (let i = 0; i < name.length; i++) h = mix(h, name.charCodeAt(i));
    const bit = bitOf(h);
    bits[bit >>> 5]! |= 1 << (bit & 31);
  }
  nameBits = bits;
  return bits;
}

const hasBit = (bits: Uint32Array, h: number): boolean => {
  const bit = bitOf(h);
  return (bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
};

/**
 * False only when `isGivenName(text.slice(start, end))` is false, read from the character codes
 * without making the string (h28-scan): neither the word in lower case nor its part before its
 * first hyphen hashes to a given name's bit. True, so the caller asks `isGivenName`, for about
 * one word in twenty that is not a name, and for any word with a character beyond ASCII (whose
 * lower case is not read here: the Kelvin sign lower-cases to "k").
 */
export function mightBeGivenName(text: string, start: number, end: number): boolean {
  const bits = givenNameBits();
  let h = FNV_START;
  let head = -1;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c >= 128) return true;
    if (c === 45 && head === -1 && i > start) {
      if (hasBit(bits, h)) return true;
      head = i;
    }
    if (c >= 65 && c <= 90) c |= 32;
    h = mix(h, c);
  }
  return hasBit(bits, h);
}

/**
 * The answers given so far, by word as written: a message names the same people and capitalises
 * the same words again and again, and the people-list, names and possessive passes each ask about
 * them, so most questions are answered without lower-casing a new string (h14-scan13). Emptied
 * when full, so a long-lived page never holds more than this many words.
 */
const answered = new Map<string, boolean>();
export const ANSWERED_LIMIT = 4096;

/** `givenNameOf(word)`, remembered. */
export function isGivenName(word: string): boolean {
  let known = answered.get(word);
  if (known === undefined) {
    known = givenNameOf(word);
    if (answered.size >= ANSWERED_LIMIT) answered.clear();
    answered.set(word, known);
  }
  return known;
}
